import Foundation
import Testing
import TestSupport

extension SamplesTests {
    /// MediaPipe's hand_landmark_lite.tflite (metadata that does not fit it) through the build
    /// plugin: the build succeeds with the mismatch in its log and the generic wrapper's outputs
    /// equal LiteRT's. The 2 MB model is not committed: samples/HandLandmark/scripts/fetch_model.py
    /// (`make demo` runs it) puts it in place.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.root.appending(path: "samples/HandLandmark/Sources/HandModels/hand_landmark_lite.tflite").path)))
    func handLandmarkWithImperfectMetadataMatchesLiteRT() throws {
        let package = Fixtures.root.appending(path: "samples/HandLandmark")
        let scratch = package.appending(path: ".build")
        // A fresh build, so the plugin runs and its warning is in this log.
        try? FileManager.default.removeItem(at: scratch.appending(path: "plugins/outputs"))
        let build = try Self.shell(["swift", "build", "--package-path", package.path, "--scratch-path", scratch.path, "-j", "2"])
        #expect(build.status == 0, "\(build.output)")
        #expect(build.output.contains("warning: hand_landmark_lite.tflite: output tensor 0 \"handedness\" (Identity): the metadata does not fit the model: handedness.txt has 2 labels but the tensor's class axis has 63 entries"), "\(build.output)")
        let run = try Self.shell([scratch.appending(path: "debug/HandLandmark").path, package.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("Every output matches LiteRT's"), "\(run.output)")
    }
}
