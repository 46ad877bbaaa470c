import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// The 8-bit convolution folds the input zero point into its bias once (bias − zero point ×
/// column sums) and keeps it from one run to the next when filter and bias are constant. A bias
/// that is a graph input must be folded again at every run: a second `invoke()` with a new bias
/// gives what a fresh interpreter gives for it, and something else than the first bias gave.
struct ConvBiasReuseTests {
    /// int8 CONV_2D of a `[1, 5, 5, 8]` input (zero point 3) with a constant `[16, kernel,
    /// kernel, 8]` filter and the int32 bias as the second graph input.
    static func model(kernel: Int) throws -> Data {
        let filter = (0..<(16 * kernel * kernel * 8)).map { ($0 * 37 + 11) % 255 }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, 5, 5, 8], "type": "INT8", "buffer": 0, "name": "x", "quantization": { "scale": [0.5], "zero_point": [3] } },
              { "shape": [16, \(kernel), \(kernel), 8], "type": "INT8", "buffer": 1, "name": "w", "quantization": { "scale": [0.25], "zero_point": [0] } },
              { "shape": [16], "type": "INT32", "buffer": 0, "name": "b", "quantization": { "scale": [0.125], "zero_point": [0] } },
              { "shape": [1, 5, 5, 16], "type": "INT8", "buffer": 0, "name": "y", "quantization": { "scale": [4.0], "zero_point": [-2] } }
            ],
            "inputs": [0, 2], "outputs": [3],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2], "outputs": [3],
                            "builtin_options_type": "Conv2DOptions",
                            "builtin_options": { "padding": "SAME", "stride_w": 1, "stride_h": 1 } }]
          }],
          "buffers": [{}, { "data": \(filter) }]
        }
        """))
    }

    @Test(arguments: [1, 3])
    func aBiasInputIsFoldedAtEveryRun(kernel: Int) throws {
        let data = try Self.model(kernel: kernel)
        let input = (0..<200).map { Int8(truncatingIfNeeded: $0 * 13 - 60) }
        let first = (0..<16).map { Int32($0 * 40 - 300) }
        let second = (0..<16).map { Int32(500 - $0 * 70) }
        func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
        let interpreter = try Interpreter(modelData: data, options: Interpreter.Options(threadCount: 1))
        try interpreter.allocateTensors()
        _ = try interpreter.copy(bytes(input), toInputAt: 0)
        _ = try interpreter.copy(bytes(first), toInputAt: 1)
        try interpreter.invoke()
        let withFirst = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Int8.self)) }
        _ = try interpreter.copy(bytes(second), toInputAt: 1)
        try interpreter.invoke()
        let withSecond = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Int8.self)) }
        let fresh = try Interpreter.firstOutput(of: data, inputs: [bytes(input), bytes(second)], threads: 1, as: Int8.self)
        #expect(withSecond == fresh)
        #expect(withSecond != withFirst)
    }
}
