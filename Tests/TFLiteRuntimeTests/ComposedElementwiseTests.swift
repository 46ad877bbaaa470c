import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// A MUL of a tensor by a unary of that same tensor (swish: x · logistic(x)) runs as one
/// operator (`ElementwiseComposition.compose`): a table of x for 8-bit types, one fused pass for
/// float32, and the LOGISTIC, read by nothing else, no longer runs. The conformance cases
/// `mul_swish_*` check the outputs against LiteRT's reference kernels; here, that the composed
/// path is the one those cases take.
struct ComposedElementwiseTests {
    @Test(arguments: [("mul_swish_int8", true), ("mul_swish_uint8", true), ("mul_swish_uint8_legacy", true), ("mul_swish_float32", true)])
    func swishMultiplicationIsTabulated(_ name: String, _ composed: Bool) throws {
        let testCase = try #require(ConformanceCase.all.first { $0.name == name }, "missing conformance case \(name)")
        try ConformanceTests.check(testCase)
        let interpreter = try Interpreter(modelPath: testCase.directory.appending(path: "model.tflite").path)
        try interpreter.allocateTensors()
        let multiplications = interpreter.kernels.compactMap { $0 as? ElementwiseBinaryKernel }
        #expect(multiplications.count == 1)
        #expect(multiplications.allSatisfy { $0.isComposed == composed }, "\(name)")
        let logistic = try #require(interpreter.operatorNames.firstIndex(of: "LOGISTIC"))
        #expect(interpreter.composedAway[logistic] == composed, "\(name): LOGISTIC skipped")
        #expect(interpreter.composedAway.filter { $0 }.count == (composed ? 1 : 0))
    }

    /// `MUL(x, LOGISTIC(x))` over 16 floats, with the logistic also a subgraph output or not.
    static func swishModel(logisticIsOutput: Bool) throws -> Data {
        Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 14, "builtin_code": "LOGISTIC" },
                             { "deprecated_builtin_code": 18, "builtin_code": "MUL" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, 16], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [1, 16], "type": "FLOAT32", "buffer": 0, "name": "s" },
              { "shape": [1, 16], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": \(logisticIsOutput ? "[2, 1]" : "[2]"),
            "operators": [{ "opcode_index": 0, "inputs": [0], "outputs": [1] },
                          { "opcode_index": 1, "inputs": [0, 1], "outputs": [2],
                            "builtin_options_type": "MulOptions", "builtin_options": {} }]
          }],
          "buffers": [{}]
        }
        """))
    }

    /// The LOGISTIC still runs when something else reads its output (here, the subgraph's
    /// outputs), and is skipped otherwise; the fused MUL gives x · logistic(x) either way.
    @Test(arguments: [true, false])
    func logisticRunsOnlyWhenReadElsewhere(_ logisticIsOutput: Bool) throws {
        let interpreter = try Interpreter(modelData: try Self.swishModel(logisticIsOutput: logisticIsOutput))
        try interpreter.allocateTensors()
        #expect(interpreter.composedAway == [!logisticIsOutput, false])
        let x = (0..<16).map { Float($0) - 7.5 }
        _ = try interpreter.copy(x.withUnsafeBytes { Data($0) }, toInputAt: 0)
        try interpreter.invoke()
        let y = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Float.self)) }
        for (value, input) in zip(y, x) {
            let expected = input / (1 + exp(-input))
            #expect(abs(value - expected) <= 1e-5 * max(1, abs(expected)), "\(input): \(value) vs \(expected)")
        }
        if logisticIsOutput {
            let s = try interpreter.withOutput(at: 1) { Array($0.bindMemory(to: Float.self)) }
            for (value, input) in zip(s, x) { #expect(abs(value - 1 / (1 + exp(-input))) <= 1e-6, "\(input)") }
        }
    }
}
