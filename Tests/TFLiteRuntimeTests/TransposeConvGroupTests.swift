import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// TRANSPOSE_CONV accumulates output pixels a stride apart four at a time (`gemv4`) and the
/// rest one at a time. The conformance cases `transpose_conv_*` compare small shapes with
/// LiteRT; here, wider rows and more channels than they have (so groups, partial groups and
/// both edges occur, and the vector kernels' main loops run), in float32 at every kernel level
/// and on 1, 2 and 3 threads, against the scatter of LiteRT's reference written out in Double.
struct TransposeConvGroupTests {
    struct Shape: CustomStringConvertible, Sendable {
        var inH, inW, depth, kernel, stride, channels: Int
        var same: Bool
        var outH: Int { same ? inH * stride : (inH - 1) * stride + kernel }
        var outW: Int { same ? inW * stride : (inW - 1) * stride + kernel }
        var description: String { "in \(inH)x\(inW)x\(depth) k\(kernel) s\(stride) → \(channels)\(same ? " SAME" : " VALID")" }
    }

    static func bytes(_ values: [Float]) -> String { values.withUnsafeBytes { Array($0) }.description }

    /// `TRANSPOSE_CONV(output_shape, weights, x, bias)` with constant weights and bias.
    static func model(_ s: Shape, weights: [Float], bias: [Float]) throws -> Data {
        let outputShape = [Int32(1), Int32(s.outH), Int32(s.outW), Int32(s.channels)].withUnsafeBytes { Array($0) }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 67, "builtin_code": "TRANSPOSE_CONV", "version": 3 }],
          "subgraphs": [{
            "tensors": [
              { "shape": [4], "type": "INT32", "buffer": 1, "name": "output_shape" },
              { "shape": [\(s.channels), \(s.kernel), \(s.kernel), \(s.depth)], "type": "FLOAT32", "buffer": 2, "name": "w" },
              { "shape": [1, \(s.inH), \(s.inW), \(s.depth)], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [\(s.channels)], "type": "FLOAT32", "buffer": 3, "name": "b" },
              { "shape": [1, \(s.outH), \(s.outW), \(s.channels)], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [2], "outputs": [4],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2, 3], "outputs": [4],
                            "builtin_options_type": "TransposeConvOptions",
                            "builtin_options": { "padding": "\(s.same ? "SAME" : "VALID")", "stride_w": \(s.stride), "stride_h": \(s.stride) } }]
          }],
          "buffers": [{}, { "data": \(outputShape) }, { "data": \(bytes(weights)) }, { "data": \(bytes(bias)) }]
        }
        """))
    }

    /// Each input pixel scattered into the outputs it touches (LiteRT's reference), in Double.
    static func reference(_ s: Shape, x: [Float], weights: [Float], bias: [Float]) -> [Double] {
        let padH = s.same ? max(0, (s.inH - 1) * s.stride + s.kernel - s.outH) / 2 : 0
        let padW = s.same ? max(0, (s.inW - 1) * s.stride + s.kernel - s.outW) / 2 : 0
        var y = [Double](repeating: 0, count: s.outH * s.outW * s.channels)
        for iy in 0..<s.inH {
            for ix in 0..<s.inW {
                for ky in 0..<s.kernel {
                    for kx in 0..<s.kernel {
                        let oy = iy * s.stride + ky - padH, ox = ix * s.stride + kx - padW
                        guard oy >= 0, oy < s.outH, ox >= 0, ox < s.outW else { continue }
                        for c in 0..<s.channels {
                            var sum = 0.0
                            for d in 0..<s.depth {
                                sum += Double(x[(iy * s.inW + ix) * s.depth + d]) * Double(weights[((c * s.kernel + ky) * s.kernel + kx) * s.depth + d])
                            }
                            y[(oy * s.outW + ox) * s.channels + c] += sum
                        }
                    }
                }
            }
        }
        for i in y.indices { y[i] += Double(bias[i % s.channels]) }
        return y
    }

    @Test(arguments: [
        Shape(inH: 5, inW: 11, depth: 40, kernel: 3, stride: 2, channels: 36, same: true),
        Shape(inH: 4, inW: 9, depth: 17, kernel: 4, stride: 2, channels: 33, same: false),
        Shape(inH: 3, inW: 13, depth: 8, kernel: 5, stride: 3, channels: 64, same: true),
        Shape(inH: 4, inW: 10, depth: 24, kernel: 3, stride: 1, channels: 20, same: true),
    ])
    func float32MatchesScatter(_ s: Shape) throws {
        var generator = SystemRandomNumberGenerator()
        let x = (0..<(s.inH * s.inW * s.depth)).map { _ in Float.random(in: -1...1, using: &generator) }
        let weights = (0..<(s.channels * s.kernel * s.kernel * s.depth)).map { _ in Float.random(in: -1...1, using: &generator) }
        let bias = (0..<s.channels).map { _ in Float.random(in: -1...1, using: &generator) }
        let data = try Self.model(s, weights: weights, bias: bias)
        let expected = Self.reference(s, x: x, weights: weights, bias: bias)
        for variant in KernelVariant.allCases where variant.isSupported {
            var outputs: [[Float]] = []
            for threads in 1...3 {
                var y: [Float] = []
                try variant.run { () throws in
                    y = try Interpreter.firstOutput(of: data, inputs: [Data(x.withUnsafeBytes { $0 })], threads: threads, as: Float.self)
                }
                let worst = zip(y, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
                #expect(y.count == expected.count && worst <= 1e-4, "\(s), \(variant), \(threads) threads: off by \(worst)")
                outputs.append(y)
            }
            #expect(outputs.allSatisfy { $0 == outputs[0] }, "\(s), \(variant): results differ between thread counts")
        }
    }
}
