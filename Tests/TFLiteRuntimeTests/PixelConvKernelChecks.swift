import CTFLiteKernels
import Testing
@testable import TFLiteRuntime

/// The few-channel float convolution over output pixels against its definition, run once per
/// kernel variant by the suites of KernelLevelTests.swift.
extension KernelChecks {
    /// `tfl_pixel_conv_f32` on staged images: for every output, fused multiply-adds from zero in
    /// `[ky][kx][c]` order with padding taps reading zero, then bias and the clamp, bit for bit
    /// (the packed GEMM's definition on im2col patches). Channel counts 1-8 (every strip shape),
    /// rows that end mid-vector, padding, row strides and dilation, no bias, ReLU6 bounds; the
    /// value after each output row must stay untouched.
    static func pixelConvolutionIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            // (in h, in w, depth, filter h, filter w, stride h, dilation h, dilation w, pad h, pad w, channels)
            let shapes = [(12, 37, 16, 9, 9, 1, 1, 1, 4, 4, 3), (5, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1), (9, 70, 3, 3, 5, 2, 1, 1, 1, 2, 2),
                          (7, 17, 5, 3, 3, 1, 2, 2, 2, 2, 4), (6, 129, 2, 2, 3, 1, 1, 1, 0, 1, 5), (8, 23, 7, 3, 3, 2, 1, 1, 1, 1, 6),
                          (4, 40, 4, 1, 3, 1, 1, 1, 0, 1, 7), (6, 16, 9, 3, 1, 1, 1, 1, 1, 0, 8), (3, 9, 2, 3, 3, 1, 1, 1, 0, 0, 3)]
            for (inH, inW, depth, fh, fw, strideH, dilH, dilW, padH, padW, channels) in shapes {
                let outH = (inH + 2 * padH - ((fh - 1) * dilH + 1)) / strideH + 1
                let outW = inW + 2 * padW - ((fw - 1) * dilW + 1) + 1
                var g = tfl_pixel_conv_geometry(in_h: inH, in_w: inW, depth: depth, filter_h: fh, filter_w: fw, stride_h: strideH,
                                                dilation_h: dilH, dilation_w: dilW, pad_h: padH, pad_w: padW, out_h: outH, out_w: outW,
                                                rows: 0, width: 0)
                tfl_pixel_conv_layout(&g)
                let taps = fh * fw * depth
                let image = (0..<(inH * inW * depth)).map { _ in Float.random(in: -4...4, using: &generator) }
                let weights = (0..<(channels * taps)).map { _ in Float.random(in: -1...1, using: &generator) }
                let bias = (0..<channels).map { _ in Float.random(in: -1...1, using: &generator) }
                var packed = [Float](repeating: 0, count: channels * taps)
                tfl_pixel_conv_pack_f32(weights, channels, taps, &packed)
                var staged = [Float](repeating: .nan, count: tfl_pixel_conv_staged_count(&g))
                tfl_pixel_conv_stage_f32(&staged, image, &g, 0, g.rows / 2)
                tfl_pixel_conv_stage_f32(&staged, image, &g, g.rows / 2, g.rows - g.rows / 2)
                for (withBias, low, high) in [(true, Float(0), Float(6)), (false, -Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude)] {
                    var mismatches = 0
                    for oy in 0..<outH {
                        var out = [Float](repeating: .nan, count: outW * channels + 1)
                        bias.withUnsafeBufferPointer { b in
                            tfl_pixel_conv_f32(&out, staged, &g, oy, packed, channels, withBias ? b.baseAddress : nil, low, high)
                        }
                        for ox in 0..<outW {
                            for j in 0..<channels {
                                var sum: Float = 0
                                var k = 0
                                for ky in 0..<fh {
                                    for kx in 0..<fw {
                                        let iy = oy * strideH - padH + ky * dilH, ix = ox - padW + kx * dilW
                                        let inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW
                                        for c in 0..<depth {
                                            let x = inside ? image[(iy * inW + ix) * depth + c] : 0
                                            sum = sum.addingProduct(x, weights[j * taps + k])
                                            k += 1
                                        }
                                    }
                                }
                                if withBias { sum += bias[j] }
                                sum = low >= sum ? low : sum
                                sum = high < sum ? high : sum
                                if out[ox * channels + j].bitPattern != sum.bitPattern { mismatches += 1 }
                            }
                        }
                        #expect(out[outW * channels].isNaN, "wrote past the row, channels \(channels) \(variant)")
                    }
                    #expect(mismatches == 0, "\(inH)×\(inW)×\(depth) filter \(fh)×\(fw) channels \(channels) bias \(withBias) \(variant)")
                }
            }
        }
    }
}

extension KernelChecks {
    /// `tfl_pixel_conv_s8` on staged int8 images against plain int32 sums Σ x · (w − weight zero)
    /// with padding taps reading the pad value: odd and even depths (the last pair's half),
    /// channel counts 1-8, rows that end mid-vector, row strides, dilation, the int8 extremes and
    /// a uint8-style weight zero point; the value after each row must stay untouched.
    static func pixelConvolution8BitIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            // (in h, in w, depth, filter h, filter w, stride h, dilation h, dilation w, pad h, pad w, channels, weight zero)
            let shapes = [(12, 37, 16, 9, 9, 1, 1, 1, 4, 4, 3, 0), (5, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1, 0), (9, 70, 3, 3, 5, 2, 1, 1, 1, 2, 2, 0),
                          (7, 17, 5, 3, 3, 1, 2, 2, 2, 2, 4, -3), (6, 129, 2, 2, 3, 1, 1, 1, 0, 1, 5, 0), (8, 23, 7, 3, 3, 2, 1, 1, 1, 1, 6, 0),
                          (4, 40, 4, 1, 3, 1, 1, 1, 0, 1, 7, 127), (6, 16, 9, 3, 1, 1, 1, 1, 1, 0, 8, 0), (3, 9, 2, 3, 3, 1, 1, 1, 0, 0, 3, 0)]
            for (inH, inW, depth, fh, fw, strideH, dilH, dilW, padH, padW, channels, weightZero) in shapes {
                let outH = (inH + 2 * padH - ((fh - 1) * dilH + 1)) / strideH + 1
                let outW = inW + 2 * padW - ((fw - 1) * dilW + 1) + 1
                var g = tfl_pixel_conv_geometry(in_h: inH, in_w: inW, depth: depth, filter_h: fh, filter_w: fw, stride_h: strideH,
                                                dilation_h: dilH, dilation_w: dilW, pad_h: padH, pad_w: padW, out_h: outH, out_w: outW,
                                                rows: 0, width: 0)
                tfl_pixel_conv_layout(&g)
                let taps = fh * fw * depth
                var image = (0..<(inH * inW * depth)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                var weights = (0..<(channels * taps)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                image[0] = .min; weights[0] = .min
                let pad = Int8.random(in: .min ... .max, using: &generator)
                var packed = [Int32](repeating: 0, count: tfl_pixel_conv_packed_count_s8(&g, channels))
                tfl_pixel_conv_pack_s8(weights, channels, &g, Int32(weightZero), &packed)
                var staged = [Int16](repeating: 0x5A5A, count: tfl_pixel_conv_staged_count_s8(&g))
                tfl_pixel_conv_stage_s8(&staged, image, &g, pad, 0, g.rows / 2)
                tfl_pixel_conv_stage_s8(&staged, image, &g, pad, g.rows / 2, g.rows - g.rows / 2)
                var mismatches = 0
                for oy in 0..<outH {
                    var acc = [Int32](repeating: 0x1234_5678, count: outW * channels + 1)
                    tfl_pixel_conv_s8(&acc, staged, &g, oy, packed, channels)
                    for ox in 0..<outW {
                        for j in 0..<channels {
                            var sum: Int32 = 0
                            var k = 0
                            for ky in 0..<fh {
                                for kx in 0..<fw {
                                    let iy = oy * strideH - padH + ky * dilH, ix = ox - padW + kx * dilW
                                    let inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW
                                    for c in 0..<depth {
                                        let x = Int32(inside ? image[(iy * inW + ix) * depth + c] : pad)
                                        sum &+= x &* (Int32(weights[j * taps + k]) - Int32(weightZero))
                                        k += 1
                                    }
                                }
                            }
                            if acc[ox * channels + j] != sum { mismatches += 1 }
                        }
                    }
                    #expect(acc[outW * channels] == 0x1234_5678, "wrote past the row, channels \(channels) \(variant)")
                }
                #expect(mismatches == 0, "\(inH)×\(inW)×\(depth) filter \(fh)×\(fw) channels \(channels) weight zero \(weightZero) \(variant)")
            }
        }
    }
}
