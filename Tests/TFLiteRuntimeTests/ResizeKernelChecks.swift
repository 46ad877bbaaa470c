import CTFLiteKernels
import Testing
@testable import TFLiteRuntime

/// The int8 RESIZE_BILINEAR kernels (horizontal sums, then rows) against LiteRT's four-weight
/// arithmetic in 64 bits, run once per kernel variant by the suites of KernelLevelTests.swift.
extension KernelChecks {
    /// `tfl_resize_bilinear_columns_s8` on two source rows, then `tfl_resize_bilinear_rows_s8`:
    /// channel counts around the 8- and 16-wide vectors (rows of 23 · depth lanes, around the
    /// 32-lane loop too), weights outside 0 ... 1024 (the clamped edges of half-pixel and
    /// align-corners sampling), −128; nothing written past the row.
    static func int8ResizeRowsMatchLiteRT(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let inputWidth = 9, outputWidth = 23
            var mismatches = 0
            for depth in [1, 5, 8, 16, 17, 21, 33] {
                var top = (0..<(inputWidth * depth)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                let bottom = (0..<(inputWidth * depth)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                top[0] = .min
                let x0 = (0..<outputWidth).map { _ in Int32(Int.random(in: 0..<inputWidth, using: &generator) * depth) }
                let x1 = (0..<outputWidth).map { _ in Int32(Int.random(in: 0..<inputWidth, using: &generator) * depth) }
                let fx = (0..<outputWidth).map { _ in Int32.random(in: -512...1536, using: &generator) }
                var upper = [Int32](repeating: 0, count: outputWidth * depth)
                var lower = [Int32](repeating: 0, count: outputWidth * depth)
                tfl_resize_bilinear_columns_s8(&upper, top, x0, x1, fx, outputWidth, depth)
                tfl_resize_bilinear_columns_s8(&lower, bottom, x0, x1, fx, outputWidth, depth)
                for fy in stride(from: Int32(-512), through: 1536, by: 97) {
                    var output = [Int8](repeating: 99, count: outputWidth * depth + 1)
                    tfl_resize_bilinear_rows_s8(&output, upper, lower, fy, outputWidth * depth)
                    if output[outputWidth * depth] != 99 { mismatches += 1 }
                    let one: Int64 = 1024
                    for x in 0..<outputWidth {
                        let a = Int(x0[x]), b = Int(x1[x]), wx = Int64(fx[x]), wy = Int64(fy)
                        for c in 0..<depth {
                            let sum = Int64(top[a + c]) * (one - wy) * (one - wx) + Int64(bottom[a + c]) * wy * (one - wx)
                                + Int64(top[b + c]) * (one - wy) * wx + Int64(bottom[b + c]) * wy * wx
                            let round: Int64 = sum > 0 ? 1 << 19 : -(1 << 19)
                            if output[x * depth + c] != Int8(truncatingIfNeeded: (sum + round) / (1 << 20)) { mismatches += 1 }
                        }
                    }
                }
            }
            #expect(mismatches == 0, "\(variant): \(mismatches) differ")
        }
    }
}
