import Foundation
import HandModels
import TFLiteRuntime

// Runs MediaPipe's hand_landmark_lite.tflite through the wrapper the tflcodegen plugin generated.
// Its metadata does not fit the model, so the wrapper is the generic one: one `[Float]` input (the
// graph's `input_1`), four outputs named from the graph (`Identity` … `Identity_3` are made-up
// names, so `output` … `output4`): the 21 landmarks (x, y, z), the hand presence score, the
// handedness score and the 21 world landmarks. Checked against LiteRT (Data/reference.json).
// Usage: HandLandmark SAMPLE_DIR
let sample = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? ".")

/// 224 × 224 RGB, 0…255: a diagonal gradient per channel (scripts/fetch_model.py makes the same).
var pattern = [Float](repeating: 0, count: 224 * 224 * 3)
for y in 0..<224 {
    for x in 0..<224 {
        for c in 0..<3 { pattern[(y * 224 + x) * 3 + c] = Float((x * (c + 1) + y * (3 - c)) % 256) }
    }
}

let model = try HandLandmarkLite()
// The metadata's normalization (mean 0, std 255), applied by hand: the generic wrapper takes floats.
let output = try await model.prediction(features: pattern.map { $0 / 255 })
let outputs = [output.output, output.output2, output.output3, output.output4]
print("landmarks \(output.output.shape), presence \(output.output2.scalars[0]), handedness \(output.output3.scalars[0]), world landmarks \(output.output4.shape)")
print("first landmark (x, y, z): \(output.output.scalars.prefix(3).map { String(format: "%.2f", $0) }.joined(separator: ", "))")

struct Reference: Decodable { var outputs: [[Float]] }
let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: sample.appending(path: "Data/reference.json")))
var worst: Float = 0
for (mine, theirs) in zip(outputs, reference.outputs) {
    guard mine.scalars.count == theirs.count else { fatalError("output of \(mine.scalars.count) values, LiteRT has \(theirs.count)") }
    for (a, b) in zip(mine.scalars, theirs) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
}
print(String(format: "largest difference from LiteRT: %.2e (relative)", worst))
guard worst < 1e-3 else {
    print("FAIL: the outputs differ from LiteRT's")
    exit(1)
}
print("Every output matches LiteRT's")
