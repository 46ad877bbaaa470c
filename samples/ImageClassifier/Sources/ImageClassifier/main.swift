import Foundation
import TFLiteImageIO
import TFLiteRuntime

// Classifies every PNG in Data/images (or the PNG/JPEG files given) through the generated
// `ColorDigits` wrapper, each file decoded by `TensorImage(contentsOf:)`, and prints the top
// three categories. For the committed images, whose file names end in their true label, it also
// prints the accuracy and checks every top class against LiteRT's (Data/litert.json); exit
// status 1 when one differs. The model knows colour digits only; samples/PhotoClassifier
// classifies real photos with an ImageNet classifier.
//
// usage: ImageClassifier [SAMPLE_DIR]  |  ImageClassifier IMAGE.png|IMAGE.jpg...

struct LiteRTResults: Decodable {
    struct Top: Decodable {
        var label: Int
        var score: Double
    }
    var images: [String: Top]
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    let classifier = try ColorDigits(configuration: .init(maxResults: 3))
    let isImage = { (path: String) in [".png", ".jpg", ".jpeg"].contains { path.lowercased().hasSuffix($0) } }
    let explicit = arguments.filter(isImage).map { URL(fileURLWithPath: $0) }
    let sample = URL(fileURLWithPath: arguments.first { !isImage($0) } ?? FileManager.default.currentDirectoryPath)
    let directory = sample.appending(path: "Data/images")
    let files = explicit.isEmpty
        ? try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".png") }.sorted()
            .map { directory.appending(path: $0) }
        : explicit
    let litert = explicit.isEmpty
        ? try? JSONDecoder().decode(LiteRTResults.self, from: Data(contentsOf: sample.appending(path: "Data/litert.json")))
        : nil

    var correct = 0, labelled = 0
    var differences: [String] = []
    for file in files {
        let image = try TensorImage(contentsOf: file)
        let top = try classifier.blockingPrediction(image: image).probability
        let summary = top.map { String(format: "%@ %.2f", $0.label, $0.score) }.joined(separator: ", ")
        let stem = file.deletingPathExtension().lastPathComponent
        var mark = ""
        if let truth = stem.split(separator: "_").last.flatMap({ Int($0) }) {
            labelled += 1
            let right = top.first?.label == String(truth)
            if right { correct += 1 }
            mark = right ? "  ✓" : "  ✗ (is \(truth))"
        }
        print("\(file.lastPathComponent) (\(image.width)×\(image.height)): \(summary)\(mark)")
        if let reference = litert?.images[file.lastPathComponent], let best = top.first,
           Int(best.label) != reference.label || abs(Double(best.score) - reference.score) > 1e-6 {
            differences.append("\(file.lastPathComponent): \(best.label) \(best.score), LiteRT \(reference.label) \(reference.score)")
        }
    }
    if labelled > 0 { print("\n\(correct) of \(labelled) images classified right") }
    if let litert {
        if differences.isEmpty && litert.images.count == files.count {
            print("Every top class and score equals LiteRT's.")
        } else {
            for line in differences { print(line) }
            print("LiteRT comparison failed (\(differences.count) differences, \(litert.images.count) reference images)")
            exit(1)
        }
    }
} catch {
    FileHandle.standardError.write(Data("ImageClassifier: \(error)\n".utf8))
    exit(1)
}
