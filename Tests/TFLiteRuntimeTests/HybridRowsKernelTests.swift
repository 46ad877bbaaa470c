import CTFLiteKernels
import Testing
@testable import TFLiteRuntime

/// `tfl_dequantize_hybrid_rows` (the hybrid output stage over a run of pixels of one batch)
/// against `tfl_dequantize_hybrid` row by row, bit for bit, at every kernel level: strided
/// sums and outputs, channel counts around the vector widths, with and without column sums,
/// channel scales and bias, both scaling orders; the gaps between output rows stay untouched.
struct HybridRowsKernelTests {
    @Test(arguments: KernelVariant.allCases.filter(\.isSupported))
    func rowsMatchRowByRow(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for n in [1, 3, 16, 19, 40] {
                for rows in [0, 1, 4] {
                    let accStride = n + 5, outStride = n + 3
                    let acc = (0..<(rows * accStride)).map { _ in Int32.random(in: -5_000_000...5_000_000, using: &generator) }
                    let sums = (0..<n).map { _ in Int32.random(in: -4000...4000, using: &generator) }
                    let scales = (0..<n).map { _ in Float.random(in: 1e-4...1e-2, using: &generator) }
                    let bias = (0..<n).map { _ in Float.random(in: -1...1, using: &generator) }
                    let scale = Float.random(in: 1e-3...1e-1, using: &generator)
                    for (withSums, withScales, withBias, scalesFirst) in [(true, true, true, false), (true, true, true, true),
                                                                          (false, true, false, false), (true, false, true, false)] {
                        let sentinel = Float(bitPattern: 0x7fc0_1234)
                        var expected = [Float](repeating: sentinel, count: rows * outStride)
                        var actual = expected
                        sums.withUnsafeBufferPointer { s in
                            scales.withUnsafeBufferPointer { c in
                                bias.withUnsafeBufferPointer { b in
                                    let s = withSums ? s.baseAddress : nil, c = withScales ? c.baseAddress : nil
                                    let b = withBias ? b.baseAddress : nil
                                    acc.withUnsafeBufferPointer { a in
                                        expected.withUnsafeMutableBufferPointer { e in
                                            guard let a = a.baseAddress, let e = e.baseAddress else { return }
                                            for r in 0..<rows {
                                                tfl_dequantize_hybrid(a + r * accStride, s, -37, c, scale, scalesFirst ? 1 : 0, b,
                                                                      -300, 300, e + r * outStride, n)
                                            }
                                        }
                                        actual.withUnsafeMutableBufferPointer { o in
                                            tfl_dequantize_hybrid_rows(a.baseAddress, accStride, rows, s, -37, c, scale, scalesFirst ? 1 : 0, b,
                                                                       -300, 300, o.baseAddress, outStride, n)
                                        }
                                    }
                                }
                            }
                        }
                        #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern),
                                "n \(n), rows \(rows), sums \(withSums), scales \(withScales), bias \(withBias), scalesFirst \(scalesFirst), \(variant)")
                    }
                }
            }
        }
    }

    /// `tfl_dequantize_hybrid_rows_activated` (a fused RELU, RELU6, RELU_N1_TO_1 or LEAKY_RELU
    /// in the store) against `tfl_dequantize_hybrid_rows` followed by `tfl_activation_f32` on
    /// each row, bit for bit, at every kernel level: NaN, ±inf and −0 reach the activation
    /// through the bias; the gaps between output rows stay untouched.
    @Test(arguments: KernelVariant.allCases.filter(\.isSupported))
    func fusedActivationMatchesTheSeparatePass(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let specials: [Float] = [.nan, .infinity, -.infinity, -0.0, 0]
            for n in [1, 5, 16, 19, 40] {
                let rows = 3, accStride = n + 5, outStride = n + 3
                let acc = (0..<(rows * accStride)).map { i in i % 11 == 0 ? 0 : Int32.random(in: -5_000_000...5_000_000, using: &generator) }
                let sums = (0..<n).map { _ in Int32.random(in: -4000...4000, using: &generator) }
                let scales = (0..<n).map { c in Float.random(in: 1e-4...1e-2, using: &generator) * (c % 3 == 0 ? -1 : 1) }
                let bias = (0..<n).map { c in c % 7 < specials.count ? specials[c % 7] : Float.random(in: -1...1, using: &generator) }
                let forms: [(kind: Int, alpha: Float, lo: Float, hi: Float)] = [
                    (Int(TFL_HYBRID_CLAMP), 0, 0, .infinity), (Int(TFL_HYBRID_CLAMP), 0, 0, 6), (Int(TFL_HYBRID_CLAMP), 0, -1, 1),
                    (Int(TFL_HYBRID_LEAKY), 0.1, 0, 0), (Int(TFL_HYBRID_LEAKY), 1.5, 0, 0),
                ]
                for form in forms {
                    let sentinel = Float(bitPattern: 0x7fc0_1234)
                    var expected = [Float](repeating: sentinel, count: rows * outStride), actual = expected
                    acc.withUnsafeBufferPointer { a in
                        expected.withUnsafeMutableBufferPointer { e in
                            guard let e = e.baseAddress else { return }
                            tfl_dequantize_hybrid_rows(a.baseAddress, accStride, rows, sums, 21, scales, 0.013, 0, bias, -.infinity,
                                                       .infinity, e, outStride, n)
                            for r in 0..<rows {
                                tfl_activation_f32(e + r * outStride, n, form.kind == Int(TFL_HYBRID_LEAKY) ? 1 : 0, form.alpha, form.lo, form.hi)
                            }
                        }
                        actual.withUnsafeMutableBufferPointer { o in
                            tfl_dequantize_hybrid_rows_activated(a.baseAddress, accStride, rows, sums, 21, scales, 0.013, 0, bias,
                                                                 -.infinity, .infinity, o.baseAddress, outStride, n, Int32(form.kind),
                                                                 form.alpha, form.lo, form.hi)
                        }
                    }
                    #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern), "n \(n), \(form), \(variant)")
                }
            }
        }
    }
}
