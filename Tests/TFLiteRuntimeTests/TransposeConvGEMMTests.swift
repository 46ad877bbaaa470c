import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// Hybrid TRANSPOSE_CONV (float input, int8 weights) runs on ``TransposeConvGEMM`` where the
/// 8-bit GEMM has vector code (AVX2, AVX-512 VNNI, NEON) and on the gather loops elsewhere (the
/// portable level). Both sum the same integers exactly and share the float stage, so every
/// kernel level and every thread count must give the same bits; here on odd shapes (strides 1–3
/// per axis, SAME and VALID, rectangular filters, columns not a multiple of 16, batches > 1, an
/// output smaller than the input reaches), per-channel and per-tensor weight scales, against
/// LiteRT's scatter in Double within the input quantization's error.
struct TransposeConvGEMMTests {
    struct Shape: CustomStringConvertible, Sendable {
        var batches = 1
        var inH, inW, depth: Int
        var kH, kW, sH, sW: Int
        var channels: Int
        var same: Bool
        /// Output rows and columns less than the input reaches (a smaller output_shape).
        var trim = 0
        var perChannel = true
        var outH: Int { (same ? inH * sH : (inH - 1) * sH + kH) - trim }
        var outW: Int { (same ? inW * sW : (inW - 1) * sW + kW) - trim }
        var description: String {
            "\(batches)x\(inH)x\(inW)x\(depth) k\(kH)x\(kW) s\(sH)x\(sW) → \(channels)\(same ? " SAME" : " VALID")"
                + (trim > 0 ? " trim \(trim)" : "") + (perChannel ? " per-channel" : " per-tensor")
        }
    }

    static func bytes<T>(_ values: [T]) -> String { values.withUnsafeBytes { Array($0) }.description }

    /// `TRANSPOSE_CONV(output_shape, weights, x, bias)`: float input, int8 weights with `scales`.
    static func model(_ s: Shape, weights: [Int8], scales: [Float], bias: [Float]) throws -> Data {
        let outputShape = [Int32(s.batches), Int32(s.outH), Int32(s.outW), Int32(s.channels)]
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 67, "builtin_code": "TRANSPOSE_CONV", "version": 3 }],
          "subgraphs": [{
            "tensors": [
              { "shape": [4], "type": "INT32", "buffer": 1, "name": "output_shape" },
              { "shape": [\(s.channels), \(s.kH), \(s.kW), \(s.depth)], "type": "INT8", "buffer": 2, "name": "w",
                "quantization": { "scale": \(scales), "zero_point": \([Int](repeating: 0, count: scales.count)), "quantized_dimension": 0 } },
              { "shape": [\(s.batches), \(s.inH), \(s.inW), \(s.depth)], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [\(s.channels)], "type": "FLOAT32", "buffer": 3, "name": "b" },
              { "shape": \(outputShape), "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [2], "outputs": [4],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2, 3], "outputs": [4],
                            "builtin_options_type": "TransposeConvOptions",
                            "builtin_options": { "padding": "\(s.same ? "SAME" : "VALID")", "stride_w": \(s.sW), "stride_h": \(s.sH) } }]
          }],
          "buffers": [{}, { "data": \(bytes(outputShape)) }, { "data": \(bytes(weights)) }, { "data": \(bytes(bias)) }]
        }
        """))
    }

    /// LiteRT's scatter in Double with the dequantized weights, and per output the bound
    /// Σ |w| × (half an input quantization step) the hybrid kernel may differ by.
    static func reference(_ s: Shape, x: [Float], weights: [Int8], scales: [Float], bias: [Float]) -> (values: [Double], bounds: [Double]) {
        // TRANSPOSE_CONV's padding is a convolution's from the output back to the input.
        let padH = s.same ? max(0, ((s.inH - 1) * s.sH + s.kH - s.outH)) / 2 : 0
        let padW = s.same ? max(0, ((s.inW - 1) * s.sW + s.kW - s.outW)) / 2 : 0
        let plane = s.outH * s.outW * s.channels
        var y = [Double](repeating: 0, count: s.batches * plane), bound = y
        for b in 0..<s.batches {
            let image = x[(b * s.inH * s.inW * s.depth)..<((b + 1) * s.inH * s.inW * s.depth)]
            let step = Double(max(image.max() ?? 0, 0) - min(image.min() ?? 0, 0)) / 255
            for iy in 0..<s.inH {
                for ix in 0..<s.inW {
                    for ky in 0..<s.kH {
                        for kx in 0..<s.kW {
                            let oy = iy * s.sH + ky - padH, ox = ix * s.sW + kx - padW
                            guard oy >= 0, oy < s.outH, ox >= 0, ox < s.outW else { continue }
                            for c in 0..<s.channels {
                                let scale = Double(scales[s.perChannel ? c : 0])
                                var sum = 0.0, size = 0.0
                                for d in 0..<s.depth {
                                    let w = Double(weights[((c * s.kH + ky) * s.kW + kx) * s.depth + d]) * scale
                                    sum += Double(x[((b * s.inH + iy) * s.inW + ix) * s.depth + d]) * w
                                    size += abs(w)
                                }
                                let at = b * plane + (oy * s.outW + ox) * s.channels + c
                                y[at] += sum
                                bound[at] += size * step * 0.5
                            }
                        }
                    }
                }
            }
        }
        for i in y.indices {
            y[i] += Double(bias[i % s.channels])
            bound[i] = bound[i] * 1.01 + 1e-4
        }
        return (y, bound)
    }

    static let shapes: [Shape] = [
        Shape(inH: 5, inW: 11, depth: 32, kH: 3, kW: 3, sH: 2, sW: 2, channels: 16, same: true),
        Shape(batches: 2, inH: 4, inW: 9, depth: 17, kH: 4, kW: 3, sH: 2, sW: 3, channels: 5, same: false),
        Shape(inH: 3, inW: 13, depth: 8, kH: 5, kW: 5, sH: 3, sW: 3, channels: 20, same: true, perChannel: false),
        Shape(batches: 3, inH: 4, inW: 10, depth: 3, kH: 3, kW: 2, sH: 1, sW: 2, channels: 7, same: true),
        Shape(inH: 6, inW: 7, depth: 24, kH: 2, kW: 5, sH: 3, sW: 1, channels: 9, same: false, trim: 2),
        Shape(inH: 2, inW: 3, depth: 5, kH: 1, kW: 1, sH: 3, sW: 2, channels: 3, same: false),
        Shape(batches: 2, inH: 7, inW: 6, depth: 40, kH: 3, kW: 3, sH: 1, sW: 1, channels: 33, same: false, trim: 3, perChannel: false),
    ]

    @Test(.enabled(if: KernelLevelAgreement.hasVectorLevel, "needs a vector kernel level beside the portable one"),
          arguments: shapes)
    func everyLevelAndThreadCountAgree(_ s: Shape) throws {
        var generator = SystemRandomNumberGenerator()
        let x = (0..<(s.batches * s.inH * s.inW * s.depth)).map { _ in Float.random(in: -1...1.5, using: &generator) }
        let weights = (0..<(s.channels * s.kH * s.kW * s.depth)).map { _ in Int8.random(in: -127...127, using: &generator) }
        let scales = (0..<(s.perChannel ? s.channels : 1)).map { _ in Float.random(in: 0.001...0.02, using: &generator) }
        let bias = (0..<s.channels).map { _ in Float.random(in: -1...1, using: &generator) }
        let data = try Self.model(s, weights: weights, scales: scales, bias: bias)
        let (expected, bounds) = Self.reference(s, x: x, weights: weights, scales: scales, bias: bias)
        try KernelLevelAgreement.expectAgreement(data, input: x, expected: expected, bounds: bounds, "\(s)")
    }
}
