import Foundation
import TFLiteRuntime

// Classifies the whole test split with every variant through its generated wrapper and prints
// the float-vs-quantized table: accuracy, size, size reduction, latency, LiteRT's accuracy.
// With --tflquant KEY=PATH (repeatable), rows for models `tflquant` made from the float32 model
// follow, run through the interpreter directly, each beside the converter's variant KEY.
//
// usage: DigitClassifier [SAMPLE_DIR] [--litert litert.json] [--tflquant KEY=PATH]...

var arguments = Array(CommandLine.arguments.dropFirst())
var litertArgument: String?
var quantizedArguments: [String] = []
var positional: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    if argument == "--litert" || argument == "--tflquant", !arguments.isEmpty {
        let value = arguments.removeFirst()
        if argument == "--litert" { litertArgument = value } else { quantizedArguments.append(value) }
    } else {
        positional.append(argument)
    }
}
let sampleDirectory = URL(fileURLWithPath: positional.first ?? FileManager.default.currentDirectoryPath)
let litertPath = litertArgument.map { URL(fileURLWithPath: $0) } ?? sampleDirectory.appending(path: "Data/litert.json")

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

/// One table row: classify the split, compare with LiteRT's predictions for `key`.
struct Row {
    var cells: [String]
    var accuracy: Double
    var mismatch: String?
}

func measure(name: String, key: String, size: Int, floatSize: Int?, split: TestSplit, litert: LiteRTResults?,
             classify: ([UInt8]) throws -> Int) throws -> Row {
    var correct = 0
    var predictions: [Int] = []
    var latencies: [Double] = []
    for (pixels, label) in zip(split.images, split.labels) {
        let start = DispatchTime.now().uptimeNanoseconds
        let predicted = try classify(pixels)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        predictions.append(predicted)
        if predicted == label { correct += 1 }
    }
    latencies.sort()
    let accuracy = Double(correct) / Double(split.labels.count)
    let reduction = floatSize.map { size > 0 ? String(format: "%.0f %%", 100 * (1 - Double(size) / Double($0))) : "-" } ?? "-"
    let reference = litert?.variants[key]
    var mismatch: String?
    if let reference, reference.predictions != predictions {
        let differing = zip(reference.predictions, predictions).filter { $0 != $1 }.count
        mismatch = "\(name): \(differing) of \(predictions.count) predictions differ from LiteRT"
    }
    return Row(cells: [
        name,
        String(format: "%.2f %%", accuracy * 100),
        String(format: "%.1f KB", Double(size) / 1000),
        reduction,
        String(format: "%.3f ms", latencies[latencies.count / 2]),
        reference.map { String(format: "%.2f %%", $0.accuracy * 100) } ?? "n/a",
        reference?.xnnpack_accuracy.map { String(format: "%.2f %%", $0 * 100) } ?? "n/a",
    ], accuracy: accuracy, mismatch: mismatch)
}

do {
    let split = try TestSplit(directory: sampleDirectory.appending(path: "Data"))
    let litert = try? JSONDecoder().decode(LiteRTResults.self, from: Data(contentsOf: litertPath))
    let quantized = try quantizedArguments.map(QuantizedRow.init(argument:))
    let bundle = Bundle.module
    var floatSize: Int?
    var rows: [Row] = []
    var accuracies: [String: Double] = [:]
    for variant in Variant.all {
        let classify = try variant.load()
        let size = (bundle.url(forResource: variant.fileName, withExtension: nil)
            .flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int }) ?? 0
        if variant.key == "float32" { floatSize = size }
        let row = try measure(name: variant.name, key: variant.key, size: size, floatSize: floatSize, split: split,
                              litert: litert) { pixels in
            try classify(try TensorImage(width: 8, height: 8, gray: pixels))?.index ?? -1
        }
        accuracies[variant.key] = row.accuracy
        rows.append(row)
    }
    var comparisons: [String] = []
    for model in quantized {
        let row = try measure(name: model.name, key: model.litertKey, size: model.size, floatSize: floatSize,
                              split: split, litert: litert, classify: try model.load())
        rows.append(row)
        if let converter = accuracies[model.variant.key] {
            let verdict = row.accuracy >= converter ? "at least" : "BELOW"
            comparisons.append(String(format: "%@: %.2f %% accuracy, %@ the converter's %.2f %%", model.name,
                                      row.accuracy * 100, verdict, converter * 100))
        }
    }
    let header = ["model", "accuracy", "size", "reduction", "median latency", "LiteRT accuracy", "LiteRT + XNNPACK"]
    print("Digit classifier: \(split.labels.count) held-out images of scikit-learn's handwritten digits\n")
    print("| " + header.joined(separator: " | ") + " |")
    print("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
    for row in rows { print("| " + row.cells.joined(separator: " | ") + " |") }
    print()
    for line in comparisons { print(line) }
    if !comparisons.isEmpty { print() }
    let mismatches = rows.compactMap(\.mismatch)
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
