import CTFLiteKernels
import Testing
@testable import TFLiteRuntime

/// `tfl_binary_f32` (float32 ADD, SUB and MUL runs) against Swift's `min(max(a op b, lo), hi)`,
/// the loop it replaced, bit for bit at every kernel level: NaN, ±0, infinities, the default
/// ±greatestFiniteMagnitude clamp and RELU-like ranges, lengths around the vector widths,
/// nothing written past the run, and in place.
struct BinaryFloatKernelTests {
    @Test(arguments: KernelVariant.allCases.filter(\.isSupported))
    func matchesTheSwiftLoop(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let specials: [Float] = [.nan, 0, -0.0, .infinity, -.infinity, 6, -1, 1e-40, 3e38, -3e38, .greatestFiniteMagnitude]
            let ops: [(Int32, (Float, Float) -> Float)] = [(Int32(TFL_BINARY_ADD), { $0 + $1 }), (Int32(TFL_BINARY_SUB), { $0 - $1 }),
                                                           (Int32(TFL_BINARY_MUL), { $0 * $1 })]
            let ranges: [(Float, Float)] = [(-.greatestFiniteMagnitude, .greatestFiniteMagnitude), (0, .infinity), (0, 6), (-1, 1)]
            for n in [1, 3, 7, 8, 15, 16, 17, 31, 100] {
                let a = (0..<n).map { i in i < specials.count ? specials[i] : Float.random(in: -4...4, using: &generator) }
                let b = (0..<n).map { i in i < specials.count ? specials[(i * 7 + 3) % specials.count] : Float.random(in: -4...4, using: &generator) }
                for (op, body) in ops {
                    for (lo, hi) in ranges {
                        let expected = zip(a, b).map { min(max(body($0, $1), lo), hi) }
                        var out = [Float](repeating: 5, count: n + 1)
                        tfl_binary_f32(a, b, &out, n, op, lo, hi)
                        #expect(out[..<n].map(\.bitPattern) == expected.map(\.bitPattern), "n \(n), op \(op), \(lo)...\(hi), \(variant)")
                        #expect(out[n] == 5, "nothing past the run")
                        var inPlace = a
                        inPlace.withUnsafeMutableBufferPointer { p in tfl_binary_f32(p.baseAddress, b, p.baseAddress, n, op, lo, hi) }
                        #expect(inPlace.map(\.bitPattern) == expected.map(\.bitPattern), "in place, n \(n), op \(op), \(variant)")
                    }
                }
            }
        }
    }
}
