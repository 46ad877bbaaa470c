import CTFLiteKernels
import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime

extension KernelChecks {
    /// (in h, in w, depth, filter h, filter w, stride h, stride w, dilation h, dilation w, pad h,
    /// pad w, channels): one to four input channels and groups of four past them (7, 16, 33),
    /// 1 to 48 output channels, strides, dilations, padding, rows shorter and longer than a tile.
    static let directShapes = [(9, 20, 3, 3, 3, 2, 2, 1, 1, 0, 0, 16), (7, 37, 3, 3, 3, 1, 1, 1, 1, 1, 1, 32),
                               (11, 11, 3, 7, 7, 2, 2, 1, 1, 3, 3, 40), (5, 9, 1, 3, 3, 1, 1, 2, 2, 2, 2, 5),
                               (6, 29, 2, 2, 3, 1, 2, 1, 1, 0, 1, 17), (4, 13, 4, 3, 1, 1, 1, 1, 1, 1, 0, 33),
                               (3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1), (8, 19, 16, 3, 3, 2, 2, 1, 1, 1, 1, 32),
                               (6, 14, 7, 3, 3, 1, 1, 1, 2, 1, 2, 24), (5, 12, 33, 3, 3, 1, 1, 1, 1, 1, 1, 48)]

    /// The staged layout of one of ``directShapes`` (output size from the padding given).
    static func directGeometry(_ s: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)) -> tfl_direct_geometry {
        let (inH, inW, depth, fh, fw, strideH, strideW, dilH, dilW, padH, padW, _) = s
        var g = tfl_direct_geometry(in_h: inH, in_w: inW, depth: depth, filter_h: fh, filter_w: fw, stride_h: strideH, stride_w: strideW,
                                    dilation_h: dilH, dilation_w: dilW, pad_h: padH, pad_w: padW,
                                    out_h: (inH + 2 * padH - ((fh - 1) * dilH + 1)) / strideH + 1,
                                    out_w: (inW + 2 * padW - ((fw - 1) * dilW + 1)) / strideW + 1, rows: 0, width: 0)
        tfl_direct_s8_layout(&g)
        return g
    }
}

/// The int8 direct convolution of few input channels (`tfl_direct_s8`) against its definition,
/// run once per kernel variant by the suites of KernelLevelTests.swift.
extension KernelChecks {
    /// Staged images (bytes x + 128 in zero-point margins) and packed weights: every output's
    /// int32 sum equals Σ (x − zp)·w + (128 + zp)·Σ w with padding taps reading the zero point.
    /// One to four input channels and groups of four past them (the bytes past the last channel
    /// meet zero weights: 7 and 33 channels), 1 to 48 output channels (one block, pairs of blocks,
    /// an odd last one), strides, dilations, padding on
    /// either side, rows shorter and longer than a tile, a batch of two; the 16 lanes of each
    /// block are written and nothing after the row.
    static func directConvolutionIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for shape in directShapes {
                let (inH, inW, depth, fh, fw, strideH, strideW, dilH, dilW, padH, padW, channels) = shape
                var g = directGeometry(shape)
                let (outH, outW) = (g.out_h, g.out_w)
                let taps = fh * fw * depth
                var image = (0..<(inH * inW * depth)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                var weights = (0..<(channels * taps)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                image[0] = .min; weights[0] = .min
                let zeroPoint = Int32.random(in: -128...127, using: &generator)
                var packed = [Int8](repeating: 0x5A, count: tfl_direct_s8_packed_size(&g, channels))
                tfl_direct_s8_pack(weights, channels, &g, &packed)
                var staged = [UInt8](repeating: 0x5A, count: tfl_direct_s8_staged_size(&g))
                tfl_direct_s8_stage(&staged, image, zeroPoint, &g)
                let stride = (channels + 15) / 16 * 16
                var mismatches = 0
                for oy in 0..<outH {
                    var acc = [Int32](repeating: 0x1234_5678, count: outW * stride + 1)
                    tfl_direct_s8(&acc, stride, staged, &g, oy, packed, channels)
                    for ox in 0..<outW {
                        for j in 0..<channels {
                            var sum: Int32 = 0, weightSum: Int32 = 0
                            var k = 0
                            for ky in 0..<fh {
                                for kx in 0..<fw {
                                    let iy = oy * strideH - padH + ky * dilH, ix = ox * strideW - padW + kx * dilW
                                    let inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW
                                    for c in 0..<depth {
                                        let x = inside ? Int32(image[(iy * inW + ix) * depth + c]) : zeroPoint
                                        sum &+= (x - zeroPoint) &* Int32(weights[j * taps + k])
                                        weightSum &+= Int32(weights[j * taps + k])
                                        k += 1
                                    }
                                }
                            }
                            if acc[ox * stride + j] &- (128 + zeroPoint) &* weightSum != sum { mismatches += 1 }
                        }
                        for j in channels..<stride where acc[ox * stride + j] != 0 { mismatches += 1 }  // zero weights
                    }
                    #expect(acc[outW * stride] == 0x1234_5678, "wrote past the row, \(variant)")
                }
                #expect(mismatches == 0, "\(inH)×\(inW)×\(depth) filter \(fh)×\(fw) stride \(strideH)×\(strideW) channels \(channels) \(variant)")
            }
        }
    }
}

extension KernelChecks {
    /// `tfl_direct_f32` against `tfl_gemm_f32` on im2col patches (zeros for padding taps), bit
    /// for bit: the same weights packed once, bias or none, ReLU6-like bounds, NaN and infinite
    /// inputs (a NaN must reach every output that reads it), the shapes of the int8 check.
    static func directFloatConvolutionMatchesTheGEMM(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (index, shape) in directShapes.enumerated() {
                let (inH, inW, depth, fh, fw, strideH, strideW, dilH, dilW, padH, padW, channels) = shape
                var g = directGeometry(shape)
                let (outH, outW) = (g.out_h, g.out_w)
                let taps = fh * fw * depth
                var image = (0..<(inH * inW * depth)).map { _ in Float.random(in: -2...2, using: &generator) }
                if index == 1 { image[5] = .nan; image[40] = .infinity }
                let weights = (0..<(channels * taps)).map { _ in Float.random(in: -1...1, using: &generator) }
                let bias = index % 2 == 0 ? (0..<channels).map { _ in Float.random(in: -1...1, using: &generator) } : nil
                let (low, high): (Float, Float) = index % 3 == 0 ? (0, 6) : (-.infinity, .infinity)
                var packed = [Float](repeating: 0, count: tfl_gemm_f32_packed_count(taps, channels))
                tfl_gemm_f32_pack(weights, channels, taps, &packed)
                var staged = [Float](repeating: .nan, count: tfl_direct_f32_staged_count(&g))
                tfl_direct_f32_stage(&staged, image, &g)
                // im2col patches, then the GEMM.
                var patches = [Float](repeating: 0, count: outH * outW * taps)
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        var k = 0
                        for ky in 0..<fh {
                            for kx in 0..<fw {
                                let iy = oy * strideH - padH + ky * dilH, ix = ox * strideW - padW + kx * dilW
                                let inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW
                                for c in 0..<depth {
                                    patches[(oy * outW + ox) * taps + k] = inside ? image[(iy * inW + ix) * depth + c] : 0
                                    k += 1
                                }
                            }
                        }
                    }
                }
                var expected = [Float](repeating: 0, count: outH * outW * channels)
                tfl_gemm_f32(&expected, channels, patches, taps, outH * outW, packed, taps, channels, bias, low, high)
                var actual = [Float](repeating: 12345, count: outH * outW * channels + 1)
                for oy in 0..<outH {
                    actual.withUnsafeMutableBufferPointer { out in
                        guard let base = out.baseAddress else { return }
                        tfl_direct_f32(base + oy * outW * channels, channels, staged, &g, oy, packed, channels, bias, low, high)
                    }
                }
                #expect(actual.last == 12345, "wrote past the output, \(variant)")
                let same = zip(actual, expected).allSatisfy { $0.bitPattern == $1.bitPattern }
                #expect(same, "\(inH)×\(inW)×\(depth) filter \(fh)×\(fw) stride \(strideH)×\(strideW) channels \(channels) \(variant)")
            }
        }
    }
}

/// Convolutions take the direct paths where the CPU runs them in vector code (int8 and float32
/// first layers; int8 and hybrid ones with rows of 6 pixels or more), and give LiteRT's outputs
/// (conformance fixtures: 3 input channels, then 8 and 5 with batches), at 1 to 3 threads. Rows
/// of 4 pixels past 4 channels stay on the GEMM.
@Suite struct DirectConvRouteTests {
    static let cases: [(String, Bool)] = [
        ("conv_2d_k3_s2_same_relu6_int8", true), ("conv_2d_k3_d2_same_int8", true), ("conv_2d_k3_s1_same_batch2_int8", true),
        ("conv_2d_k2x3_s12_same_int8", true), ("conv_2d_k3_s2_same_float32", true), ("conv_2d_k3_d2_same_float32", true),
        ("conv_2d_k3_s1_same_batch2_float32", true), ("conv_2d_k2x3_s12_same_float32", true), ("conv_2d_k3_s1_same_big_hybrid", true),
        ("conv_2d_per_tensor_batch2_hybrid", true), ("conv_2d_per_channel_batch3_s2_valid_relu6_hybrid", false),
    ]

    @Test(arguments: cases)
    func theDirectPathMatchesLiteRT(_ name: String, direct: Bool) throws {
        let testCase = try #require(ConformanceCase.all.first { $0.name == name })
        let interpreter = try Interpreter(modelPath: testCase.directory.appending(path: "model.tflite").path)
        try interpreter.allocateTensors()
        let routes = interpreter.kernels.compactMap { ($0 as? Conv2DKernel)?.runsDirect }
        let available = name.hasSuffix("float32") ? tfl_direct_f32_available() : tfl_direct_s8_available()
        #expect(routes == [direct && available != 0], "\(name): the direct path where it applies and is available")
        for threads in 1...3 { try ConformanceTests.check(testCase, threads: threads) }
    }
}
