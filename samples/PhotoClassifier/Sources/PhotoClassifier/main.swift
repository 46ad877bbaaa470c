import Foundation
import TFLiteImageIO
import TFLiteRuntime

// Classifies real photos with EfficientNet-Lite0 (ImageNet's 1000 classes) through the generated
// `EfficientNetLite0` wrapper: each file is decoded by `TensorImage(contentsOf:)` (PNG or JPEG,
// EXIF orientation applied), the wrapper takes the largest centred square, resizes it to 224 × 224
// and normalizes it as the model's metadata says, and reports the classes best first with the
// labels from the model's associated labels.txt.
//
// With no file arguments it classifies Data/photos and checks every one of the 1000
// probabilities of every photo against LiteRT's on the same input (Data/reference.json, written
// by scripts/fetch_model.py); exit status 1 when the top five classes or any probability differ.
//
// usage: PhotoClassifier [SAMPLE_DIR]  |  PhotoClassifier PHOTO.jpg|PHOTO.png...

struct Reference: Decodable {
    struct Photo: Decodable {
        var top5: [String]
        var probabilities: [Float]
    }
    var photos: [String: Photo]
}

let arguments = Array(CommandLine.arguments.dropFirst())
let isPhoto = { (path: String) in [".png", ".jpg", ".jpeg"].contains { path.lowercased().hasSuffix($0) } }
let explicit = arguments.filter(isPhoto).map { URL(fileURLWithPath: $0) }
let sample = URL(fileURLWithPath: arguments.first { !isPhoto($0) } ?? FileManager.default.currentDirectoryPath)
let directory = sample.appending(path: "Data/photos")

do {
    let classifier = try await EfficientNetLite0.load()
    let description = classifier.modelDescription
    print("\(description.name): \(description.outputs.first?.labels?.count ?? 0) classes, input \(description.inputs.first?.imageSize.map { "\($0.width) × \($0.height)" } ?? "?")")
    let files = explicit.isEmpty
        ? try FileManager.default.contentsOfDirectory(atPath: directory.path).filter(isPhoto).sorted().map { directory.appending(path: $0) }
        : explicit
    let reference = explicit.isEmpty
        ? try JSONDecoder().decode(Reference.self, from: Data(contentsOf: sample.appending(path: "Data/reference.json")))
        : nil

    var failures: [String] = []
    var worst: Float = 0
    for file in files {
        var photo = try TensorImage(contentsOf: file)
        photo.crop = .center
        let categories = try await classifier.prediction(image: photo).probability
        let top = categories.prefix(5)
        print("\(file.lastPathComponent) (\(photo.orientedWidth)×\(photo.orientedHeight)): "
            + top.map { String(format: "%@ %.2f", $0.label, $0.score) }.joined(separator: ", "))
        guard let reference else { continue }
        guard let expected = reference.photos[file.lastPathComponent] else {
            failures.append("\(file.lastPathComponent): not in Data/reference.json")
            continue
        }
        if top.map(\.label) != expected.top5 {
            failures.append("\(file.lastPathComponent): top 5 \(top.map(\.label)), LiteRT \(expected.top5)")
        }
        guard categories.count == expected.probabilities.count else {
            failures.append("\(file.lastPathComponent): \(categories.count) classes, LiteRT \(expected.probabilities.count)")
            continue
        }
        for category in categories where expected.probabilities.indices.contains(category.index) {
            worst = max(worst, abs(category.score - expected.probabilities[category.index]))
        }
    }
    if let reference {
        if worst > 1e-5 { failures.append(String(format: "largest probability difference %.2e (allowed 1e-5)", worst)) }
        if files.count != reference.photos.count { failures.append("\(files.count) photos, Data/reference.json has \(reference.photos.count)") }
        if !failures.isEmpty {
            failures.forEach { print($0) }
            print("LiteRT comparison failed")
            exit(1)
        }
        print(String(format: "%d photos: the top 5 classes equal LiteRT's, and all 1000 probabilities are within %.1e of LiteRT's.", files.count, worst))
    }
} catch {
    FileHandle.standardError.write(Data("PhotoClassifier: \(error)\n".utf8))
    exit(1)
}
