import Foundation
import TFLiteRuntime

// Detects the digits in every held-out scene through the generated `DigitDetector` wrapper,
// prints the first scenes' detections and checks all of them against the known boxes (a
// detection is right when its label matches and IoU ≥ 0.5) and against LiteRT's detections.
// Exit status 1 when precision or recall drops below 90 % or a detection differs from LiteRT's.
//
// usage: ObjectDetector [SAMPLE_DIR]

let sampleDirectory = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? FileManager.default.currentDirectoryPath)

do {
    let scenes = try Scenes(directory: sampleDirectory.appending(path: "Data"))
    let detector = try DigitDetector(configuration: .init(scoreThreshold: 0.5))
    var truePositives = 0, falsePositives = 0, misses = 0
    var litertDifferences: [String] = []
    for (index, (pixels, truth)) in zip(scenes.images, scenes.truth).enumerated() {
        let image = try TensorImage(width: Scenes.side, height: Scenes.side, gray: pixels)
        let found = try detector.blockingPrediction(image: image).detectionResult
        var unmatched = truth
        for detection in found {
            let label = Int(detection.category.label) ?? -1
            if let match = unmatched.firstIndex(where: { $0.label == label && intersectionOverUnion($0.rectangle, detection.boundingBox) >= 0.5 }) {
                unmatched.remove(at: match)
                truePositives += 1
            } else {
                falsePositives += 1
            }
        }
        misses += unmatched.count
        if let reference = scenes.litert?[index] {
            let same = reference.count == found.count && zip(reference, found).allSatisfy { expected, actual in
                Int(actual.category.label) == expected.label && abs((expected.score ?? 0) - actual.category.score) < 1e-4
                    && intersectionOverUnion(expected.rectangle, actual.boundingBox) > 0.999
            }
            if !same { litertDifferences.append("scene \(index): \(found.count) detections, LiteRT \(reference.count)") }
        }
        if index < 4 {
            let expected = truth.map { "\($0.label) at (\(Int($0.box[0])), \(Int($0.box[1])))" }.joined(separator: ", ")
            let got = found.map { d in
                String(format: "%@ at (%.1f, %.1f) %.0f×%.0f, score %.2f", d.category.label, d.boundingBox.x, d.boundingBox.y,
                       d.boundingBox.width, d.boundingBox.height, d.category.score)
            }
            print("scene \(index): digits \(expected)")
            for line in got { print("    found \(line)") }
        }
    }
    let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
    let recall = Double(truePositives) / Double(max(1, truePositives + misses))
    print()
    print("\(scenes.images.count) scenes, \(truePositives + misses) digits: \(truePositives) found, \(misses) missed, \(falsePositives) wrong")
    print(String(format: "precision %.1f %%, recall %.1f %% (label right and IoU ≥ 0.5)", precision * 100, recall * 100))
    if scenes.litert == nil {
        print("LiteRT detections not available (Data/litert.json)")
    } else if litertDifferences.isEmpty {
        print("Every detection equals LiteRT's (label, score, box).")
    } else {
        for line in litertDifferences { print(line) }
    }
    if precision < 0.9 || recall < 0.9 || !litertDifferences.isEmpty { exit(1) }
} catch {
    FileHandle.standardError.write(Data("ObjectDetector: \(error)\n".utf8))
    exit(1)
}
