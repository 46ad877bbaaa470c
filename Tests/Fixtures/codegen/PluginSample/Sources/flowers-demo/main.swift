import FlowerModels
@_spi(GeneratedCode) import TFLiteRuntime

// Checks that the build plugin generated `Flowers` and bundled Flowers.tflite, then loads and runs
// it (running needs the model's kernels in TFLiteRuntime; a missing kernel is reported, not fatal).
guard let url = Flowers.bundledModelURL else { fatalError("Flowers.tflite is not bundled") }
print("bundled: \(url.lastPathComponent)")
do {
    let model = try Flowers.bundled()
    let pixels = [UInt8](repeating: 128, count: 32 * 32 * 3)
    let output = try model.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels))
    print("top: \(output.probability.map { "\($0.label) \($0.score)" })")
} catch {
    print("could not run the model: \(error)")
}
