import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// A hybrid CONV_2D (float input, int8 weights) on so few pixels that they fit one GEMM block
/// (Inception's convolutions on 1×1 and 3×3 maps) splits its output channels over the pool
/// instead of its pixels (pointwise ones read the input, others gather the patches once), each
/// share scaled with its own channels' scales, column sums and bias. Every kernel level (the
/// portable one runs the loops, the vector ones the dot-product GEMM) and 1, 2 and 3 threads
/// must give the same bits, within the input quantization's error of the convolution in Double,
/// with per-channel (asymmetric input) and per-tensor (symmetric) weight scales.
struct HybridConvChannelShareTests {
    struct Shape: CustomStringConvertible, Sendable {
        var batches: Int
        var side: Int
        var depth: Int
        var channels: Int
        var perChannel: Bool
        var kernel = 1
        var same = false
        var out: Int { same ? side : side - kernel + 1 }
        var description: String {
            "\(batches)x\(side)x\(side)x\(depth) k\(kernel)\(same ? " SAME" : "") → \(channels)\(perChannel ? " per-channel" : " per-tensor")"
        }
    }

    static func bytes<T>(_ values: [T]) -> String { values.withUnsafeBytes { Array($0) }.description }

    static func model(_ s: Shape, weights: [Int8], scales: [Float], bias: [Float]) throws -> Data {
        Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D", "version": 2 }],
          "subgraphs": [{
            "tensors": [
              { "shape": [\(s.batches), \(s.side), \(s.side), \(s.depth)], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [\(s.channels), \(s.kernel), \(s.kernel), \(s.depth)], "type": "INT8", "buffer": 1, "name": "w",
                "quantization": { "scale": \(scales), "zero_point": \([Int](repeating: 0, count: scales.count)), "quantized_dimension": 0 } },
              { "shape": [\(s.channels)], "type": "FLOAT32", "buffer": 2, "name": "b" },
              { "shape": [\(s.batches), \(s.out), \(s.out), \(s.channels)], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": [3],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2], "outputs": [3],
                            "builtin_options_type": "Conv2DOptions",
                            "builtin_options": { "padding": "\(s.same ? "SAME" : "VALID")", "stride_w": 1, "stride_h": 1 } }]
          }],
          "buffers": [{}, { "data": \(bytes(weights)) }, { "data": \(bytes(bias)) }]
        }
        """))
    }

    @Test(.enabled(if: KernelLevelAgreement.hasVectorLevel, "needs a vector kernel level beside the portable one"),
          arguments: [
              Shape(batches: 1, side: 1, depth: 1024, channels: 200, perChannel: true),
              Shape(batches: 1, side: 3, depth: 256, channels: 96, perChannel: true),
              Shape(batches: 2, side: 3, depth: 160, channels: 75, perChannel: false),
              Shape(batches: 1, side: 2, depth: 1000, channels: 48, perChannel: true),
              Shape(batches: 2, side: 1, depth: 800, channels: 100, perChannel: false),
              Shape(batches: 1, side: 5, depth: 128, channels: 80, perChannel: true, kernel: 3),
              Shape(batches: 1, side: 3, depth: 96, channels: 70, perChannel: true, kernel: 3, same: true),
              Shape(batches: 2, side: 3, depth: 64, channels: 64, perChannel: false, kernel: 3, same: true),
          ])
    func everyLevelAndThreadCountAgree(_ s: Shape) throws {
        var generator = SystemRandomNumberGenerator()
        let x = (0..<(s.batches * s.side * s.side * s.depth)).map { _ in Float.random(in: -0.5...2, using: &generator) }
        let weights = (0..<(s.channels * s.kernel * s.kernel * s.depth)).map { _ in Int8.random(in: -127...127, using: &generator) }
        let scales = (0..<(s.perChannel ? s.channels : 1)).map { _ in Float.random(in: 0.001...0.02, using: &generator) }
        let bias = (0..<s.channels).map { _ in Float.random(in: -1...1, using: &generator) }
        let data = try Self.model(s, weights: weights, scales: scales, bias: bias)
        let pad = s.same ? (s.kernel - 1) / 2 : 0
        var expected = [Double](repeating: 0, count: s.batches * s.out * s.out * s.channels), bounds = expected
        let perBatch = s.side * s.side * s.depth
        for b in 0..<s.batches {
            let step = Double(x[(b * perBatch)..<((b + 1) * perBatch)].map(abs).max() ?? 0) / 127
            for oy in 0..<s.out {
                for ox in 0..<s.out {
                    for c in 0..<s.channels {
                        var sum = Double(bias[c]), size = 0.0
                        for ky in 0..<s.kernel {
                            for kx in 0..<s.kernel {
                                let iy = oy + ky - pad, ix = ox + kx - pad
                                guard iy >= 0, iy < s.side, ix >= 0, ix < s.side else { continue }
                                for d in 0..<s.depth {
                                    let w = Double(weights[((c * s.kernel + ky) * s.kernel + kx) * s.depth + d]) * Double(scales[s.perChannel ? c : 0])
                                    sum += Double(x[((b * s.side + iy) * s.side + ix) * s.depth + d]) * w
                                    size += abs(w)
                                }
                            }
                        }
                        let at = ((b * s.out + oy) * s.out + ox) * s.channels + c
                        expected[at] = sum
                        bounds[at] = size * step * 0.5 * 1.01 + 1e-4
                    }
                }
            }
        }
        try KernelLevelAgreement.expectAgreement(data, input: x, expected: expected, bounds: bounds, "\(s)")
    }
}
