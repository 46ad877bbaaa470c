import Foundation
import TestSupport

/// One model whose generated wrapper is committed as a golden file.
struct GoldenCase: Sendable, CustomStringConvertible {
    var className: String
    var kind: String

    var description: String { "\(className) (\(kind))" }

    /// `Tests/Fixtures/codegen/models/<ClassName>.tflite`, copied from the metadata fixtures.
    var modelURL: URL { Fixtures.url("codegen/models/\(className).tflite") }
    /// Compiled by the CodegenGoldenTests target.
    var swiftGoldenURL: URL { Fixtures.root.appending(path: "Tests/CodegenGoldenTests/Generated/\(className).swift") }
    var documentationGoldenURL: URL { Fixtures.url("codegen/goldens/\(className).md") }

    static let all: [GoldenCase] = [
        GoldenCase(className: "ImageClassifierFloat", kind: "image classifier, float"),
        GoldenCase(className: "ImageClassifierInt8", kind: "image classifier, uint8 quantized"),
        GoldenCase(className: "FlowerClassifier", kind: "image classifier, score calibration and two locales"),
        GoldenCase(className: "ObjectDetector", kind: "object detector"),
        GoldenCase(className: "ImageSegmenter", kind: "image segmenter"),
        GoldenCase(className: "PersonSegmenter", kind: "image segmenter, one-channel confidence mask"),
        GoldenCase(className: "NLClassifier", kind: "NL classifier, regex tokenizer"),
        GoldenCase(className: "BertNLClassifier", kind: "BERT NL classifier, WordPiece"),
        GoldenCase(className: "AudioClassifier", kind: "audio classifier"),
        GoldenCase(className: "SoundAndScene", kind: "audio classifier, two heads"),
        GoldenCase(className: "PlainFloat", kind: "no metadata"),
        GoldenCase(className: "NamedTensors", kind: "no metadata, outputs named from the graph's tensor names"),
        GoldenCase(className: "HandLandmarkLike", kind: "metadata that does not fit (label count), generic wrapper"),
        GoldenCase(className: "PalmDetectionLike", kind: "metadata that does not fit (classification shape), generic wrapper"),
        GoldenCase(className: "BatchClassifier", kind: "image classifier, dynamic batch dimension"),
    ]

    /// Set to regenerate the goldens instead of comparing with them.
    static var regenerating: Bool { ProcessInfo.processInfo.environment["TFLCODEGEN_REGENERATE_GOLDENS"] == "1" }
}

/// `diff -u` of two texts, for failure messages.
func unifiedDiff(expected: String, actual: String, name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appending(path: "tflcodegen-diff-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let a = directory.appending(path: "expected-\(name)")
    let b = directory.appending(path: "actual-\(name)")
    try? Data(expected.utf8).write(to: a)
    try? Data(actual.utf8).write(to: b)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["diff", "-u", a.path, b.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return "(diff unavailable: \(error))" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
