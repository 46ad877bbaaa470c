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

/// `Options.streamsWeights` (tflquant's calibration): constant float weights packed at each run
/// into one shared buffer, their file pages let go after each operator; the outputs are the
/// same bits, run after run, and the interpreter holds less memory than with packed copies.
@Suite struct WeightStreamingTests {
    @Test(arguments: ["model_cnn_float32", "conv_2d_k3_s1_same_float32", "fully_connected_bias_float32", "model_cnn_int8"])
    func streamingGivesTheSameOutputs(_ name: String) throws {
        let directory = Fixtures.url("conformance/\(name)")
        let path = directory.appending(path: "model.tflite").path
        let packed = try Interpreter(modelPath: path)
        var options = Interpreter.Options()
        options.streamsWeights = true
        let streamed = try Interpreter(modelPath: path, options: options)
        let expected = try packed.firstOutput(feeding: directory)
        for _ in 0..<3 { #expect(try streamed.firstOutput(feeding: directory) == expected) }
    }

    @Test func streamingHoldsOnlyTheLargestOperatorsWeights() throws {
        let path = Fixtures.url("conformance/model_cnn_float32/model.tflite").path
        let packed = try Interpreter(modelPath: path)
        try packed.allocateTensors()
        var options = Interpreter.Options()
        options.streamsWeights = true
        let streamed = try Interpreter(modelPath: path, options: options)
        try streamed.allocateTensors()
        #expect(streamed.allocatedBytes < packed.allocatedBytes, "\(streamed.allocatedBytes) vs \(packed.allocatedBytes) bytes")
    }
}
