import Foundation
import TFLiteRuntime

// Classifies the whole test split with every variant through its generated wrapper and prints
// the float-vs-quantized table: accuracy, size, size reduction, latency, LiteRT's accuracy.
//
// usage: DigitClassifier [SAMPLE_DIR] [--litert litert.json]

let arguments = CommandLine.arguments.dropFirst()
let sampleDirectory = URL(fileURLWithPath: arguments.first { !$0.hasPrefix("--") } ?? FileManager.default.currentDirectoryPath)
var litertPath = sampleDirectory.appending(path: "Data/litert.json")
if let flag = arguments.firstIndex(of: "--litert"), arguments.index(after: flag) < arguments.endIndex {
    litertPath = URL(fileURLWithPath: arguments[arguments.index(after: flag)])
}

struct LiteRTResults: Decodable {
    struct Entry: Decodable {
        /// LiteRT's builtin kernels (the numbers our interpreter matches).
        var accuracy: Double
        /// LiteRT with its default XNNPACK delegate, which rounds some integer steps differently.
        var xnnpack_accuracy: Double?
        var predictions: [Int]
    }
    var variants: [String: Entry]
}

do {
    let split = try TestSplit(directory: sampleDirectory.appending(path: "Data"))
    let litert = try? JSONDecoder().decode(LiteRTResults.self, from: Data(contentsOf: litertPath))
    let bundle = Bundle.module
    var floatSize: Int?
    var rows: [[String]] = []
    var mismatches: [String] = []
    for variant in Variant.all {
        let classify = try variant.load()
        var correct = 0
        var predictions: [Int] = []
        var latencies: [Double] = []
        for (pixels, label) in zip(split.images, split.labels) {
            let image = try TensorImage(width: 8, height: 8, gray: pixels)
            let start = DispatchTime.now().uptimeNanoseconds
            let best = try classify(image)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            let predicted = best?.index ?? -1
            predictions.append(predicted)
            if predicted == label { correct += 1 }
        }
        latencies.sort()
        let accuracy = Double(correct) / Double(split.labels.count)
        let size = (bundle.url(forResource: variant.fileName, withExtension: nil)
            .flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int }) ?? 0
        if variant.key == "float32" { floatSize = size }
        let reduction = floatSize.map { size > 0 ? String(format: "%.0f %%", 100 * (1 - Double(size) / Double($0))) : "-" } ?? "-"
        let reference = litert?.variants[variant.key]
        if let reference, reference.predictions != predictions {
            let differing = zip(reference.predictions, predictions).filter { $0 != $1 }.count
            mismatches.append("\(variant.name): \(differing) of \(predictions.count) predictions differ from LiteRT")
        }
        rows.append([
            variant.name,
            String(format: "%.2f %%", accuracy * 100),
            String(format: "%.1f KB", Double(size) / 1000),
            reduction,
            String(format: "%.3f ms", latencies[latencies.count / 2]),
            reference.map { String(format: "%.2f %%", $0.accuracy * 100) } ?? "n/a",
            reference?.xnnpack_accuracy.map { String(format: "%.2f %%", $0 * 100) } ?? "n/a",
        ])
    }
    let header = ["model", "accuracy", "size", "reduction", "median latency", "LiteRT accuracy", "LiteRT + XNNPACK"]
    print("Digit classifier: \(split.labels.count) held-out images of scikit-learn's handwritten digits\n")
    print("| " + header.joined(separator: " | ") + " |")
    print("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
    for row in rows { print("| " + row.joined(separator: " | ") + " |") }
    print()
    if litert == nil {
        print("LiteRT's results are not available (Data/litert.json).")
    } else if mismatches.isEmpty {
        print("Every prediction equals LiteRT's (builtin kernels) on the same models.")
    } else {
        for line in mismatches { print(line) }
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("DigitClassifier: \(error)\n".utf8))
    exit(1)
}
