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
}
