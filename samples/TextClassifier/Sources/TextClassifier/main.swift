import Foundation
import TFLiteRuntime

// Tells which library a docstring comes from, through the generated `DocstringClassifier`
// wrapper (the regex tokenizer and vocabulary come from the model's metadata).
//
// usage: TextClassifier [SAMPLE_DIR]          classify the held-out docstrings, compare with LiteRT
//        TextClassifier --text "Some text."   print the categories of one text
// Exit status 1 when a prediction differs from LiteRT's.

struct Example: Decodable {
    var text: String
    var label: Int
}

struct LiteRTResults: Decodable {
    var accuracy: Double
    var predictions: [Int]
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    let classifier = try DocstringClassifier()
    if let flag = arguments.firstIndex(of: "--text"), flag + 1 < arguments.count {
        for category in try classifier.blockingPrediction(inputText: arguments[flag + 1]).probability {
            print(category.label.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: " %.3f", category.score))
        }
        exit(0)
    }
    let data = URL(fileURLWithPath: arguments.first ?? FileManager.default.currentDirectoryPath).appending(path: "Data")
    let examples = try JSONDecoder().decode([Example].self, from: Data(contentsOf: data.appending(path: "test_texts.json")))
    let litert = try? JSONDecoder().decode(LiteRTResults.self, from: Data(contentsOf: data.appending(path: "litert.json")))
    let labels = try String(contentsOf: data.appending(path: "labels.txt"), encoding: .utf8).split(separator: "\n").map(String.init)

    var predictions: [Int] = []
    var correctByLabel = [Int](repeating: 0, count: labels.count)
    var totalByLabel = [Int](repeating: 0, count: labels.count)
    for (index, example) in examples.enumerated() {
        let best = try classifier.blockingPrediction(inputText: example.text).probability.first
        let predicted = best?.index ?? -1
        predictions.append(predicted)
        totalByLabel[example.label] += 1
        if predicted == example.label { correctByLabel[example.label] += 1 }
        if index < 5 {
            let text = example.text.count > 72 ? String(example.text.prefix(71)) + "…" : example.text
            print("\"\(text)\"\n    → \(best?.label ?? "?") (\(String(format: "%.2f", best?.score ?? 0))), from \(labels[example.label])")
        }
    }
    let correct = correctByLabel.reduce(0, +)
    print()
    print("\(examples.count) held-out docstrings: accuracy \(String(format: "%.2f %%", 100 * Double(correct) / Double(examples.count)))")
    for (label, name) in labels.enumerated() {
        print("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: " %4d / %4d", correctByLabel[label], totalByLabel[label]))
    }
    if let litert {
        let differing = zip(litert.predictions, predictions).filter { $0 != $1 }.count
        if differing == 0 && litert.predictions.count == predictions.count {
            print(String(format: "Every prediction equals LiteRT's (accuracy %.2f %%).", litert.accuracy * 100))
        } else {
            print("\(differing) predictions differ from LiteRT's")
            exit(1)
        }
    } else {
        print("LiteRT's predictions are not available (Data/litert.json).")
    }
} catch {
    FileHandle.standardError.write(Data("TextClassifier: \(error)\n".utf8))
    exit(1)
}
