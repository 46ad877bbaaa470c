import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer

/// `min_runtime_version` after quantization: the newest runtime any operator version of the
/// output needs, as LiteRT's runtime-version table says (the converter's full-integer path
/// leaves the float model's value, which older runtimes then wrongly accept).
@Suite struct RuntimeVersionTests {
    @Test func tableFacts() {
        #expect(RuntimeVersion.required(.conv2D, version: 3) == "1.14.0")
        #expect(RuntimeVersion.required(.quantize, version: 2) == "1.15.0")
        #expect(RuntimeVersion.required(.fullyConnected, version: 12) == "2.17.0")
        #expect(RuntimeVersion.required(.fullyConnected, version: 10) == nil)
        #expect(RuntimeVersion.required(.broadcastTo, version: 1) == nil)
        #expect(RuntimeVersion.required(.conv2D, version: 0) == nil)
        #expect(RuntimeVersion.required(.conv2D, version: 99) == nil)
        #expect(RuntimeVersion.newest(["1.5.0", "1.14.0", "1.9.0"]) == "1.14.0")
    }

    @Test(arguments: [(QuantizationMode.int8, "1.14.0"), (.int16x8, "1.15.0")])
    func fullIntegerOutputsRecordWhatTheirOperatorsNeed(mode: QuantizationMode, expected: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let float = QuantFixture.folder("convnet").appending(path: "float.tflite").path
        #expect(try Model(contentsOf: float).minRuntimeVersion() == "1.5.0")
        let output = directory.appending(path: "out.tflite").path
        try Quantizer.quantize(float, mode: mode, options: QuantizationOptions(calibration: QuantFixture.calibrationPaths("convnet", inputs: 1), samples: 2), to: output)
        let model = try Model(contentsOf: output)
        let recorded = try #require(model.minRuntimeVersion())
        #expect(recorded == expected)
        for code in model.operatorCodes {
            let builtin = code.builtinCode
            guard let needed = RuntimeVersion.required(builtin, version: code.version) else { continue }
            #expect(!RuntimeVersion.isOlder(recorded, than: needed), "\(builtin) v\(code.version) needs \(needed)")
        }
    }
}
