import Foundation
import Testing
import TestSupport
import TFLiteModel
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// Kernels that pack constant weights let the interpreter drop the weights' file-mapped pages
/// (`ByteStorage.releasePages`); the bytes must read the same afterwards, and preparing again
/// (which packs again, from pages read back from the file) must give the same outputs.
@Suite struct WeightReleaseTests {
    @Test func releasedPagesReadBackFromTheFile() throws {
        let path = Fixtures.url("conformance/model_cnn_float32/model.tflite").path
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let mapped = try ByteStorage(mapping: path)
        let copied = ByteStorage(copying: original)
        for storage in [mapped, copied] {
            guard let base = storage.bytes.baseAddress else { continue }
            storage.releasePages(base, byteCount: storage.bytes.count)
            storage.releasePages(base + 1, byteCount: 1 << 40)  // outside: ignored
            #expect(Data(storage.bytes) == original)
        }
    }

    @Test(arguments: ["model_cnn_float32", "model_cnn_int8", "conv_2d_k3_s1_same_int8", "fully_connected_bias_big_hybrid"])
    func preparingAgainAfterReleaseGivesTheSameOutputs(_ name: String) throws {
        let directory = Fixtures.url("conformance/\(name)")
        let interpreter = try Interpreter(modelPath: directory.appending(path: "model.tflite").path)
        var outputs: [Data] = []
        for _ in 0..<2 { outputs.append(try interpreter.firstOutput(feeding: directory)) }
        #expect(outputs[0] == outputs[1])
    }
}
