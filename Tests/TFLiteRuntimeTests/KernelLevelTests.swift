import CTFLiteKernels
import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// The C micro-kernels have one variant per instruction set (portable, AVX2+FMA, AVX-512 with and
/// without VNNI, NEON with and without the dot product), chosen by the CPU's features at run
/// time, so the conformance suite alone only exercises the widest one this machine has. Here the
/// convolution-family, MUL, ADD, SUB and pooling cases and each kernel's own checks run once per
/// variant (one suite each below), with the kernels limited to that variant's features on the
/// test's own thread (`CPUFeatures.withKernels(limitedTo:_:)`): nothing process-wide changes,
/// so the other suites running in parallel keep the widest variant. A variant the CPU lacks is
/// reported as skipped.
enum KernelVariant: String, CaseIterable, Sendable, CustomStringConvertible {
    case portable, avx2, avx512, avx512VNNI, neon, neonDot

    /// The features the variant asks for (the CPU's subset of them is used).
    var features: CPUFeatures {
        switch self {
        case .portable: []
        case .avx2: [.avx2FMA]
        case .avx512: [.avx2FMA, .avx512]
        case .avx512VNNI: [.avx2FMA, .avx512, .avx512VNNI, .avx512VBMI, .avx512NarrowStore]
        case .neon: [.neon]
        case .neonDot: [.neon, .neonDot]
        }
    }

    /// The features that must be present for the variant to mean anything.
    var needs: CPUFeatures { self == .avx512VNNI ? [.avx2FMA, .avx512, .avx512VNNI] : features }

    var isSupported: Bool { CPUFeatures.detected.isSuperset(of: needs) }

    var description: String { "\(rawValue) (\(features.intersection(.detected)))" }

    /// Runs `body` with this thread's kernels limited to the variant's features.
    func run<E: Error>(_ body: () throws(E) -> Void) throws(E) {
        try CPUFeatures.withKernels(limitedTo: features) { () throws(E) in
            #expect(CPUFeatures.active == features.intersection(.detected), "\(self)")
            try body()
        }
    }
}

/// The checks each variant suite runs.
enum KernelChecks {
    static let cases = ConformanceCase.all.filter { testCase in
        ["conv", "fully_connected", "batch_matmul", "hybrid", "model_cnn", "task_", "mul_", "add_", "sub_", "max_pool", "average_pool", "quantize", "resize_bilinear", "mean_", "squared_difference"].contains { testCase.name.contains($0) }
    }

    static func conformanceCasesMatchLiteRT(_ variant: KernelVariant) throws {
        try variant.run {
            #expect(KernelChecks.cases.count > 100)
            for testCase in KernelChecks.cases { try ConformanceTests.check(testCase) }
        }
    }
}

extension KernelChecks {
    /// The vectorized requantization against the scalar reference (`FixedPoint.multiply`) on
    /// values the conformance models rarely reach: accumulators near the int32 limits, every
    /// shift LiteRT produces (−31…30), multipliers across their range, INT32_MIN × INT32_MIN.
    static func requantizationIsBitExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let count = 4099  // not a multiple of any vector width: the tails run too
            var acc = (0..<count).map { _ in Int32.random(in: .min ... .max, using: &generator) }
            var bias = (0..<count).map { _ in Int32.random(in: -1 << 20 ... 1 << 20, using: &generator) }
            var multipliers = (0..<count).map { _ in Int32.random(in: 1 << 30 ... .max, using: &generator) }
            let shifts = (0..<count).map { _ in Int32.random(in: -31 ... 30, using: &generator) }
            for i in stride(from: 0, to: count, by: 7) { acc[i] = Int32.random(in: -300_000 ... 300_000, using: &generator) }
            acc[0] = .min; bias[0] = 0; multipliers[0] = .min  // the saturating case
            acc[1] = .max; acc[2] = .min; bias[2] = 0
            for (zeroPoint, low, high) in [(Int32(-3), Int32(-128), Int32(127)), (131, 0, 255)] {
              for rounding in [TFL_ROUNDING_GEMMLOWP, TFL_ROUNDING_HALF_UP] {
                var output = [UInt8](repeating: 0, count: count)
                tfl_requantize_8bit(acc, bias, multipliers, shifts, zeroPoint, low, high, &output, count, rounding)
                var mismatches = 0
                for i in 0..<count {
                    let multiplier = FixedPoint.Multiplier(multiplier: multipliers[i], shift: Int(shifts[i]))
                    let value = Self.multiply(acc[i] &+ bias[i], by: multiplier, rounding) &+ zeroPoint
                    let expected = UInt8(truncatingIfNeeded: min(max(value, low), high))
                    if output[i] != expected { mismatches += 1 }
                }
                #expect(mismatches == 0, "\(variant), zero point \(zeroPoint), rounding \(rounding.rawValue): \(mismatches) of \(count) differ")
              }
            }
        }
    }

    /// The rows kernel (``tfl_requantize_8bit_rows``) on the blocks models have: right shifts only
    /// (the bias folded into the 64-bit constants, and the high-half finish when every shift is
    /// 1 or more), limits that clamp or only saturate (or reach past the int8 range: clamped, then
    /// truncated to a byte as the portable code does), zero points that need the negative
    /// correction or not, tails of a few channels (two rows a vector), and rows 16 or more
    /// elements apart (the odd channels loaded one element on) or fewer. Sums with the bias stay
    /// within 32 bits, as LiteRT's own int32 sums must.
    static func requantizationRowsAreBitExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let limits: [(Int32, Int32, Int32)] = [(-128, -128, 127), (-3, -128, 127), (-128, -128, 100), (5, 5, 127), (-7, 0, 90), (131, 0, 255), (0, -200, 127)]
            for (count, extra) in [(1, 0), (5, 0), (8, 3), (16, 0), (37, 11), (48, 0), (100, 4)] {
                let rows = 5, stride = count + extra
                let acc = (0..<(rows * stride)).map { _ in Int32.random(in: -(1 << 28) ... 1 << 28, using: &generator) }
                let bias = (0..<count).map { _ in Int32.random(in: -(1 << 20) ... 1 << 20, using: &generator) }
                let multipliers = (0..<count).map { _ in Int32.random(in: 1 << 30 ... .max, using: &generator) }
                for shiftRange: ClosedRange<Int32> in [-12 ... -1, -20 ... 0, -9 ... 3] {
                    let shifts = (0..<count).map { _ in Int32.random(in: shiftRange, using: &generator) }
                    for (zeroPoint, low, high) in limits {
                        for rounding in [TFL_ROUNDING_GEMMLOWP, TFL_ROUNDING_HALF_UP] {
                            var output = [UInt8](repeating: 0, count: rows * count)
                            tfl_requantize_8bit_rows(acc, stride, rows, bias, multipliers, shifts, zeroPoint, low, high, &output, count, count, rounding)
                            var mismatches = 0
                            for r in 0..<rows {
                                for i in 0..<count {
                                    let multiplier = FixedPoint.Multiplier(multiplier: multipliers[i], shift: Int(shifts[i]))
                                    let value = Self.multiply(acc[r * stride + i] &+ bias[i], by: multiplier, rounding) &+ zeroPoint
                                    if output[r * count + i] != UInt8(truncatingIfNeeded: min(max(value, low), high)) { mismatches += 1 }
                                }
                            }
                            #expect(mismatches == 0, "\(variant), \(count) channels \(stride) apart, shifts \(shiftRange), zero point \(zeroPoint) in \(low)...\(high), rounding \(rounding.rawValue): \(mismatches) differ")
                        }
                    }
                }
            }
        }
    }

    /// The scalar reference of each rounding (``FixedPoint``).
    static func multiply(_ x: Int32, by m: FixedPoint.Multiplier, _ rounding: tfl_rounding) -> Int32 {
        rounding == TFL_ROUNDING_HALF_UP ? FixedPoint.multiplyHalfUp(x, by: m) : FixedPoint.multiply(x, by: m)
    }
}

extension KernelChecks {
    /// The blocked and single GEMV and the depthwise kernel against plain loops, on shapes the
    /// models rarely have: odd reduction depths, channel counts that leave tails at every
    /// vector width, the extremes of 8-bit data with zero points removed.
    static func integerKernelsAreExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (depth, count) in [(1, 1), (7, 33), (31, 77), (64, 64), (129, 100)] {
                let stride = count + 3
                let weights = (0..<(depth * stride)).map { _ in Int16.random(in: -255...255, using: &generator) }
                let x = (0..<(4 * depth)).map { _ in Int32.random(in: -255...255, using: &generator) }
                var expected = [Int32](repeating: 0, count: 4 * count)
                for p in 0..<4 {
                    for j in 0..<count {
                        var sum: Int32 = 0
                        for k in 0..<depth { sum &+= x[p * depth + k] &* Int32(weights[k * stride + j]) }
                        expected[p * count + j] = sum
                    }
                }
                var blocked = [Int32](repeating: 0, count: 4 * count)
                tfl_gemv4_i32(&blocked, count, weights, x, depth, depth, count, stride)
                #expect(blocked == expected, "gemv4 depth \(depth) count \(count) \(variant)")
                var single = [Int32](repeating: 0, count: 4 * count)
                for p in 0..<4 {
                    single.withUnsafeMutableBufferPointer { acc in
                        x.withUnsafeBufferPointer { xs in
                            guard let a = acc.baseAddress, let xb = xs.baseAddress else { return }
                            tfl_gemv_i32(a + p * count, weights, xb + p * depth, depth, count, stride)
                        }
                    }
                }
                #expect(single == expected, "gemv depth \(depth) count \(count) \(variant)")

                // Depthwise: `depth` taps over `count` channels, each tap a row of one flat array.
                let taps = (0..<(depth * count)).map { _ in Int32.random(in: -255...255, using: &generator) }
                let filters = (0..<(depth * count)).map { _ in Int16.random(in: -255...255, using: &generator) }
                var depthwiseExpected = [Int32](repeating: 0, count: count)
                for t in 0..<depth { for c in 0..<count { depthwiseExpected[c] &+= taps[t * count + c] &* Int32(filters[t * count + c]) } }
                var depthwise = [Int32](repeating: 0, count: count)
                taps.withUnsafeBufferPointer { tapBuffer in
                    filters.withUnsafeBufferPointer { filterBuffer in
                        guard let tapBase = tapBuffer.baseAddress, let filterBase = filterBuffer.baseAddress else { return }
                        let xs: [UnsafePointer<Int32>?] = (0..<depth).map { tapBase + $0 * count }
                        let ws: [UnsafePointer<Int16>?] = (0..<depth).map { filterBase + $0 * count }
                        tfl_depthwise_i32(&depthwise, xs, ws, depth, count)
                    }
                }
                #expect(depthwise == depthwiseExpected, "depthwise taps \(depth) count \(count) \(variant)")
            }
        }
    }
}

extension KernelChecks {
    /// The hybrid kernels' input quantization against the scalar formula (LiteRT's order: the
    /// product rounded to float32, rounded to an integer, then the zero point added), with exact
    /// halves, products that are exact halves under a zero point (3.5 × 1 − 128: −124, where
    /// rounding after the add gives −125), a product float32 rounds up to a half (1.7648554 ×
    /// 59.21165 = 104.5000008 → 104.5, so −23 with zero point −128, where one fused multiply-add
    /// gives −23.4999992 → −23.5 → −24; LiteRT 2.3 gives −23), out-of-range values, infinities
    /// and NaN. The first count & ~7 values round as LiteRT's vector loop (trunc(p ± 0.5) in
    /// float32: ±0.49999997 → ±1), the rest half away from zero.
    static func asymmetricQuantizationIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            var values = (0..<1000).map { _ in Float.random(in: -3...3, using: &generator) }
            values += [0.5, -0.5, 1.5, -1.5, 2.5, 3.5, -3.5, 0.49999997, -0.49999997, 1e9, -1e9, .infinity, -.infinity, .nan, 0, -0.0,
                       0.8742965, 1.7648554, 0.49999997, -0.49999997, 2.5]  // the last 5: the scalar tail (1021 = 1016 + 5)
            let vectorEnd = values.count & ~7
            for (inverse, offset) in [(Float(42.5), Float(-3)), (1, 0), (1, -128), (1, 27), (0.37, 11), (1 / 0.0078431373, -128),
                                      (39.460304, -128), (59.21165, -128)] {
                var output = [Int8](repeating: 0, count: values.count)
                tfl_quantize_asymmetric_8bit(values, values.count, inverse, offset, &output)
                let expected: [Int8] = values.enumerated().map { index, value in
                    let product = value * inverse
                    let rounded = index < vectorEnd ? HybridQuantizer.vectorRounded(product) : product.rounded(.toNearestOrAwayFromZero)
                    let q = rounded + offset
                    return q.isNaN ? 0 : Int8(max(-128, min(127, q)))
                }
                let differing = zip(output, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
                #expect(differing.isEmpty, "\(variant), inverse \(inverse): \(differing.prefix(5).map { "\(values[$0]) → \(output[$0]) vs \(expected[$0])" })")
            }
            // The cases LiteRT settles, spelled out (32 values each: the vector loops, not only
            // the scalar tail).
            var pinned = [Int8](repeating: 0, count: 32)
            tfl_quantize_asymmetric_8bit([Float](repeating: 3.5, count: 32), 32, 1, -128, &pinned)
            #expect(pinned == [Int8](repeating: -124, count: 32), "\(variant)")
            tfl_quantize_asymmetric_8bit([Float](repeating: 1.7648554, count: 32), 32, 59.21165, -128, &pinned)
            #expect(pinned == [Int8](repeating: -23, count: 32), "\(variant)")
            // 0.49999997 + 0.5 is a float32 tie that rounds up to 1: LiteRT's vector loop gives 1
            // (−127 here, checked against LiteRT 2.3 through a hybrid FULLY_CONNECTED), its scalar
            // tail 0: the last 7 of 39 values.
            var mixed = [Int8](repeating: 0, count: 39)
            tfl_quantize_asymmetric_8bit([Float](repeating: 0.49999997, count: 39), 39, 1, -128, &mixed)
            #expect(mixed == [Int8](repeating: -127, count: 32) + [Int8](repeating: -128, count: 7), "\(variant)")
        }
    }

    /// The hybrid output stage in both scaling orders against the definitions the header gives,
    /// bit for bit: `(acc × channel) × batch` (convolutions) and `acc × (channel × batch)`
    /// (FULLY_CONNECTED), with column sums, bias and a clamp, over lengths that leave vector tails.
    static func hybridDequantizationIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for count in [1, 7, 8, 16, 33, 100] {
                let acc = (0..<count).map { _ in Int32.random(in: -5_000_000...5_000_000, using: &generator) }
                let sums = (0..<count).map { _ in Int32.random(in: -4000...4000, using: &generator) }
                let channels = (0..<count).map { _ in Float.random(in: 1e-4...1e-2, using: &generator) }
                let bias = (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
                let scale = Float.random(in: 1e-3...1e-1, using: &generator), offset: Int32 = -37
                for scalesFirst in [false, true] {
                    var out = [Float](repeating: .nan, count: count)
                    tfl_dequantize_hybrid(acc, sums, offset, channels, scale, scalesFirst ? 1 : 0, bias, -400, 400, &out, count)
                    var mismatches = 0
                    for c in 0..<count {
                        let v = Float(acc[c] &- offset &* sums[c])
                        var f = scalesFirst ? v * (channels[c] * scale) : (v * channels[c]) * scale
                        f = min(max(f + bias[c], -400), 400)
                        if out[c].bitPattern != f.bitPattern { mismatches += 1 }
                    }
                    #expect(mismatches == 0, "count \(count) scalesFirst \(scalesFirst), \(variant)")
                }
            }
        }
    }
}

extension KernelChecks {
    /// The 8-bit dot-product GEMM (VNNI where the CPU has it) against a plain loop: depths that
    /// leave 1-3 trailing steps or a partial 64-byte row sum, channel counts around the 16-wide
    /// blocks, pixel counts around its tiles (8, 6 or 4 pixels for 1, 2 or 3-4 blocks; 5-12 pixels
    /// in one tile of 1-2 blocks; 16 for at most eight channels, two groups a vector), the extreme int8 values, and the column
    /// sums of its weight packing; with the weight zero point of int8 models (0) and of uint8
    /// models shifted to int8 (−128 ... 127, the extremes included).
    static func dotProductGEMMIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let shapes = [(1, 1, 1), (3, 17, 5), (27, 32, 9), (64, 70, 4), (130, 15, 7), (7, 64, 3), (200, 33, 6), (1101, 40, 5),
                          (8, 8, 23), (16, 16, 17), (9, 32, 13), (33, 30, 8), (5, 48, 11), (96, 24, 15),
                          (147, 8, 37), (21, 3, 16), (65, 5, 19), (24, 8, 33), (70, 80, 12), (33, 50, 10), (17, 17, 11), (290, 64, 7)]
            let zeros: [Int32] = [0, -128, 127, 0, 5, -1, 0, -77, 0, 3, 0, -128, 0, 9, 0, -128, 7, 127, 0, -128, 127, -3]
            for ((depth, channels, pixels), weightZero) in zip(shapes, zeros) {
                var weights = (0..<(channels * depth)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                let xStride = depth + 5
                var x = (0..<(pixels * xStride)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                weights[0] = .min; x[0] = .min
                if weights.count > 1 { weights[1] = .max }
                // Both layouts at every level: the level's own runs in vector code, the other in the
                // portable loop.
                for format in [Int32(TFL_GEMM_S8_QUADS), Int32(TFL_GEMM_S8_PAIRS)] {
                    var packed = [UInt8](repeating: 0, count: tfl_gemm_s8_packed_size(depth, channels, format))
                    var sums = [Int32](repeating: 0, count: channels)
                    tfl_gemm_s8_pack(weights, channels, depth, &packed, &sums, format, weightZero)
                    let accStride = (channels + 15) / 16 * 16 + 3
                    var acc = [Int32](repeating: -1, count: pixels * accStride)
                    tfl_gemm_s8(&acc, accStride, x, xStride, pixels, packed, depth, channels, format, weightZero)
                    var mismatches = 0
                    for j in 0..<channels {
                        #expect(sums[j] == (0..<depth).reduce(Int32(0)) { $0 + Int32(weights[j * depth + $1]) - weightZero })
                        for p in 0..<pixels {
                            var sum: Int32 = 0
                            for k in 0..<depth { sum += Int32(x[p * xStride + k]) * (Int32(weights[j * depth + k]) - weightZero) }
                            if acc[p * accStride + j] != sum { mismatches += 1 }
                        }
                    }
                    #expect(mismatches == 0, "depth \(depth) channels \(channels) pixels \(pixels) \(variant) format \(format) zero \(weightZero)")
                }
            }
        }
    }

    /// The 8-bit column sums (MEAN over leading axes) against a plain loop: row counts across the
    /// 256-row partial sums, widths around the 16- and 32-column blocks, int8 and uint8 columns
    /// of all extreme values (the 16-bit partials' limits), and totals added to what is there.
    static func columnSumsMatchPlainLoop(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (rows, width) in [(1, 1), (3, 15), (255, 16), (256, 33), (257, 32), (600, 47), (12544 / 16, 96), (49, 1152)] {
                for signed in [true, false] {
                    var x = (0..<(rows * width)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
                    // Column 0 all at the bottom of the range, column 1 all at the top.
                    for r in 0..<rows {
                        x[r * width] = signed ? 0x80 : 0
                        if width > 1 { x[r * width + 1] = signed ? 0x7F : 0xFF }
                    }
                    let start = (0..<width).map { _ in Int32.random(in: -1000...1000, using: &generator) }
                    var sums = start
                    tfl_column_sums_8bit(x, signed ? 1 : 0, rows, width, &sums)
                    var expected = start
                    for r in 0..<rows {
                        for c in 0..<width {
                            expected[c] &+= signed ? Int32(Int8(bitPattern: x[r * width + c])) : Int32(x[r * width + c])
                        }
                    }
                    #expect(sums == expected, "rows \(rows) width \(width) signed \(signed) \(variant)")
                }
            }
        }
    }

    /// The float column sums (float MEAN and SUM over leading axes) against the plain loop, bit
    /// for bit: widths around every variant's blocks (64, 32, 16, 8, 4 columns and masked
    /// tails), values of very different magnitudes so that the order of adds shows, and totals
    /// added to what is there.
    static func floatColumnSumsMatchPlainLoop(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (rows, width) in [(1, 1), (5, 3), (9, 4), (17, 15), (33, 16), (3, 31), (100, 64), (64, 65), (4096 / 64, 97)] {
                let x = (0..<(rows * width)).map { i in
                    Float.random(in: -1...1, using: &generator) * (i % 5 == 0 ? 3e7 : 1)
                }
                let start = (0..<width).map { _ in Float.random(in: -10...10, using: &generator) }
                var sums = start + [42]
                tfl_column_sums_f32(x, rows, width, &sums)
                var expected = start
                for r in 0..<rows {
                    for c in 0..<width { expected[c] += x[r * width + c] }
                }
                #expect(sums.dropLast().map(\.bitPattern) == expected.map(\.bitPattern), "rows \(rows) width \(width) \(variant)")
                #expect(sums.last == 42, "wrote past the columns: rows \(rows) width \(width) \(variant)")
            }
        }
    }

    /// The float pooling window (MAX_POOL_2D and AVERAGE_POOL_2D) against the interpreter's
    /// per-channel loop, bit for bit: windows of 1 to 9 pixels, depths around every variant's
    /// blocks and tails, NaN, signed zeros and infinities among the pixels, clamps that bite.
    static func floatWindowMatchesPlainLoop(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (height, width, depth) in [(1, 1, 1), (2, 2, 3), (2, 2, 16), (3, 3, 17), (1, 3, 33), (3, 2, 8), (2, 1, 40)] {
                let rowStride = (width + 1) * depth
                var input = (0..<(height * rowStride)).map { _ in Float.random(in: -4...4, using: &generator) }
                let specials: [Float] = [.nan, -0.0, 0.0, .infinity, -.infinity]
                for k in 0..<specials.count where k * 7 < input.count { input[k * 7] = specials[k] }
                for isMax in [true, false] {
                    for (low, high) in [(-Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude), (0, 6), (-1, 1)] {
                        var expected = [Float](repeating: 0, count: depth)
                        for c in 0..<depth {
                            var m: Float = isMax ? -.greatestFiniteMagnitude : 0
                            for y in 0..<height {
                                for x in 0..<width {
                                    let p = input[y * rowStride + x * depth + c]
                                    if isMax { m = max(m, p) } else { m += p }
                                }
                            }
                            if !isMax { m /= Float(height * width) }
                            expected[c] = min(max(m, low), high)
                        }
                        var out = [Float](repeating: 42, count: depth + 1)
                        tfl_window_f32(&out, input, rowStride, height, width, depth, isMax ? 1 : 0, low, high)
                        #expect(out.dropLast().map(\.bitPattern) == expected.map(\.bitPattern),
                                "\(height)x\(width)x\(depth) max \(isMax) [\(low), \(high)] \(variant)")
                        #expect(out.last == 42, "wrote past the channels: \(height)x\(width)x\(depth) \(variant)")
                    }
                }
            }
        }
    }

    /// The vectorized float LOGISTIC against 1 / (1 + exp(-x)) and LiteRT's cut-offs, including
    /// the lanes that fall back to the scalar function (below -87, NaN).
    static func logisticIsAccurate(_ variant: KernelVariant) {
        variant.run {
            var values = stride(from: Float(-30), through: 30, by: 0.0137).map { $0 }
            values += [-9, -9.000001, -8.999999, 16.619047, 16.62, 17, 100, -86.9, -87.5, -100, -.infinity, .infinity, 0, -0.0, .nan, 1e-8]
            var output = [Float](repeating: 0, count: values.count)
            tfl_logistic_f32(values, &output, values.count)
            for (x, y) in zip(values, output) {
                let expected: Float = x > 16.619047164916992 ? 1 : (x < -9 ? Foundation.exp(x) : 1 / (1 + Foundation.exp(-x)))
                if expected.isNaN {
                    #expect(y.isNaN, "logistic(\(x)) = \(y), \(variant)")
                } else {
                    #expect(abs(y - expected) <= 2e-7 * abs(expected) + Float.leastNonzeroMagnitude, "logistic(\(x)) = \(y), expected \(expected), \(variant)")
                }
            }
        }
    }
}

extension KernelChecks {
    /// The hybrid range scan against the scalar fold it replaces: NaN elements skipped, a NaN
    /// start kept, lengths that leave vector tails.
    static func rangeScanMatchesTheScalarFold(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for count in [1, 15, 16, 17, 100, 1001] {
                var values = (0..<count).map { _ in Float.random(in: -50...50, using: &generator) }
                for case let i in [count / 2, count - 1] where i > 0 { values[i] = .nan }
                if count > 40 { values[37] = -.infinity }
                for start in [values[0], Float.nan] {
                    var low = start, high = start
                    tfl_minmax_f32(values, count, &low, &high)
                    var expectedLow = start, expectedHigh = start
                    for v in values {
                        if v < expectedLow { expectedLow = v }
                        if v > expectedHigh { expectedHigh = v }
                    }
                    #expect(low.bitPattern == expectedLow.bitPattern && high.bitPattern == expectedHigh.bitPattern,
                            "count \(count) start \(start): (\(low), \(high)) vs (\(expectedLow), \(expectedHigh)), \(variant)")
                }
            }
        }
    }
}

extension KernelChecks {
    /// The float GEMM with its fused output stage against the definition it documents (fused
    /// multiply-adds from zero in reduction order, then bias, then clamp), bit for bit at every
    /// level: tiles of 1-6 pixels, channel tails, no bias, ReLU6 bounds.
    static func floatGEMMIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (depth, channels, pixels) in [(1, 1, 1), (3, 17, 5), (27, 32, 13), (64, 70, 6), (130, 15, 7), (9, 64, 3)] {
                let weights = (0..<(channels * depth)).map { _ in Float.random(in: -1...1, using: &generator) }
                let xStride = depth + 2
                let x = (0..<(pixels * xStride)).map { _ in Float.random(in: -4...4, using: &generator) }
                let bias = (0..<channels).map { _ in Float.random(in: -1...1, using: &generator) }
                var packed = [Float](repeating: 0, count: tfl_gemm_f32_packed_count(depth, channels))
                tfl_gemm_f32_pack(weights, channels, depth, &packed)
                for (withBias, low, high) in [(true, Float(0), Float(6)), (false, -Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude)] {
                    let outStride = channels + 1
                    var out = [Float](repeating: .nan, count: pixels * outStride)
                    bias.withUnsafeBufferPointer { b in
                        tfl_gemm_f32(&out, outStride, x, xStride, pixels, packed, depth, channels, withBias ? b.baseAddress : nil, low, high)
                    }
                    var mismatches = 0
                    for p in 0..<pixels {
                        for j in 0..<channels {
                            var sum: Float = 0
                            for k in 0..<depth { sum = sum.addingProduct(x[p * xStride + k], weights[j * depth + k]) }
                            if withBias { sum += bias[j] }
                            sum = low >= sum ? low : sum
                            sum = high < sum ? high : sum
                            if out[p * outStride + j].bitPattern != sum.bitPattern { mismatches += 1 }
                        }
                        #expect(out[p * outStride + channels].isNaN, "wrote past the row")
                    }
                    #expect(mismatches == 0, "depth \(depth) channels \(channels) pixels \(pixels) bias \(withBias) \(variant)")
                }
            }
        }
    }
}

extension KernelChecks {
    /// The 8-bit table lookup (AVX-512 VBMI where present) against indexing: every byte value,
    /// lengths that leave tails, in place.
    static func byteLookupMatchesIndexing(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let table = (0..<256).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for count in [1, 63, 64, 65, 1000] {
                var input = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37) }
                var output = [UInt8](repeating: 0, count: count)
                tfl_lookup_8bit(input, table, &output, count)
                #expect(output == input.map { table[Int($0)] }, "count \(count) \(variant)")
                let expected = input.map { table[Int($0)] }
                input.withUnsafeMutableBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    tfl_lookup_8bit(base, table, base, count)
                }
                #expect(input == expected, "in place, count \(count) \(variant)")
            }
        }
    }
}

extension KernelChecks {
    /// The depthwise row kernels (int8 with paired taps, and float) against a plain loop over the
    /// valid taps: channel counts around the 16- and 32-wide blocks, 3×3 and 5×5 filters,
    /// strides, dilation and padding on both sides, extreme zero points, and weight zero points
    /// (uint8 models shifted to int8; 0 for int8) that leave w − zero point outside the int8 range.
    static func depthwiseRowsAreExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let shapes: [(channels: Int, filter: Int, stride: Int, dilation: Int, pad: Int)] =
                [(1, 3, 1, 1, 1), (32, 3, 1, 1, 1), (17, 3, 2, 1, 1), (24, 3, 2, 1, 0), (33, 5, 1, 1, 2), (70, 3, 1, 2, 2), (32, 1, 1, 1, 0), (64, 5, 2, 1, 2),
                 // The column kernels' pixel pairs (blocks of at most 16 channels, odd and even
                 // pixel counts), and whole rows with the padding around them.
                 (16, 3, 1, 1, 1), (16, 3, 2, 1, 0), (48, 3, 1, 1, 0), (48, 3, 2, 1, 1), (9, 3, 2, 1, 1), (41, 3, 1, 1, 1), (20, 3, 1, 1, 2), (40, 3, 2, 1, 2)]
            for (channels, filter, stride, dilation, pad) in shapes {
                // 15 wide: stride-2 rows keep at least four interior pixels (the 4-pixel 3×3 paths).
                let inH = 7, inW = 15
                let outW = (inW + 2 * pad - ((filter - 1) * dilation + 1)) / stride + 1
                let x = (0..<(inH * inW * channels)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                let w = (0..<(filter * filter * channels)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                let xf = x.map { Float($0) / 16 }, wf = w.map { Float($0) / 64 }
                var shape = tfl_depthwise_geometry(in_h: inH, in_w: inW, channels: channels, filter_h: filter, filter_w: filter,
                                                   stride_w: stride, dilation_h: dilation, dilation_w: dilation, pad_w: pad, out_w: outW)
                var padRow = [Int8](repeating: 0, count: channels)
                var sources = [UnsafePointer<Int8>?](repeating: nil, count: filter * filter + 1)
                for weightZero in [Int32(0), -128, 127, -9] {
                    var packed = [Int16](repeating: 0, count: tfl_depthwise_s8_packed_count(filter * filter, channels))
                    tfl_depthwise_s8_pack(w, filter * filter, channels, &packed, weightZero)
                    for zeroPoint in [Int32(-128), 5, 127] {
                        for originY in [-pad, 0, inH - 2] {
                            var acc = [Int32](repeating: 0, count: outW * channels)
                            var out = [Float](repeating: 0, count: outW * channels)
                            tfl_depthwise_row_s8_pairs(&acc, x, zeroPoint, &shape, originY, w, packed, weightZero, &padRow, &sources)
                            tfl_depthwise_row_f32(&out, xf, &shape, originY, wf, nil, -.greatestFiniteMagnitude, .greatestFiniteMagnitude)
                            var mismatches = 0, floatMismatches = 0
                            for ox in 0..<outW {
                                for c in 0..<channels {
                                    var sum: Int32 = 0
                                    var floatSum: Float = 0
                                    for ky in 0..<filter {
                                        let iy = originY + ky * dilation
                                        if iy < 0 || iy >= inH { continue }
                                        for kx in 0..<filter {
                                            let ix = ox * stride - pad + kx * dilation
                                            if ix < 0 || ix >= inW { continue }
                                            let xi = (iy * inW + ix) * channels + c, wi = (ky * filter + kx) * channels + c
                                            sum &+= (Int32(x[xi]) - zeroPoint) * (Int32(w[wi]) - weightZero)
                                            floatSum = floatSum.addingProduct(xf[xi], wf[wi])
                                        }
                                    }
                                    if acc[ox * channels + c] != sum { mismatches += 1 }
                                    if out[ox * channels + c] != floatSum { floatMismatches += 1 }
                                }
                            }
                            #expect(mismatches == 0 && floatMismatches == 0,
                                    "channels \(channels) filter \(filter) stride \(stride) dilation \(dilation) zp \(zeroPoint) weight zp \(weightZero) row \(originY) \(variant): \(mismatches) int8, \(floatMismatches) float")
                        }
                    }
                }
            }
        }
    }
}

extension KernelChecks {
    /// Row-block requantization (masked channel tails, the 64-bit rounding) against the single-row
    /// kernel and against ``FixedPoint/multiply(_:by:)`` value by value: every shift LiteRT
    /// produces, accumulators aimed at outputs inside the 8-bit range (so rounding shows), and
    /// blocks holding a zero or an INT32_MIN multiplier.
    static func rowRequantizationMatchesSingleRows(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            var inRange = 0, total = 0
            // int8 without and with an activation clamp (at and above the zero point), and a uint8 range.
            for rounding in [TFL_ROUNDING_GEMMLOWP, TFL_ROUNDING_HALF_UP] {
            for (zeroPoint, low, high): (Int32, Int32, Int32) in [(-3, -128, 127), (-128, -128, 40), (-20, -10, 127), (5, 0, 255)] {
                // Every shift, and the right shifts of 1 to 23 real layers have (whole blocks of them
                // take the high-half finish); tails of at most 8 channels over odd and even row
                // counts (two rows a vector).
                for (channels, rows, shiftRange) in [(1, 1, -31 ... 30), (15, 3, -31 ... 30), (24, 7, -31 ... 30), (33, 32, -31 ... 30),
                                                     (70, 5, -31 ... 30), (64, 40, -31 ... 30), (48, 9, -23 ... -1), (80, 6, -12 ... -1),
                                                     (8, 6, -23 ... -1), (5, 11, -31 ... 30), (40, 13, -12 ... -1), (8, 2, -31 ... 30)] as [(Int, Int, ClosedRange<Int32>)] {
                    let accStride = channels + 9
                    var multipliers = (0..<channels).map { _ in Int32.random(in: 1 << 30 ... .max, using: &generator) }
                    let shifts = (0..<channels).map { _ in Int32.random(in: shiftRange, using: &generator) }
                    if channels > 30 { multipliers[17] = 0; multipliers[29] = .min }
                    let bias = (0..<channels).map { _ in Int32.random(in: -5000...5000, using: &generator) }
                    let acc = (0..<(rows * accStride)).map { i -> Int32 in
                        let c = i % accStride
                        // Anywhere in 32 bits, short of overflowing with the bias (the kernels fold the
                        // bias into the 64-bit sums; LiteRT's int32 sum must not overflow either).
                        guard c < channels, i % 5 != 0 else { return Int32.random(in: (.min + 5000) ... (.max - 5000), using: &generator) }
                        let real = Double(multipliers[c]) * pow(2, Double(shifts[c]) - 31)
                        let wanted = Int.random(in: Int(low - zeroPoint - 12)...Int(high - zeroPoint + 12), using: &generator)
                        let target = Double(wanted) + Double.random(in: -1...1, using: &generator)
                        // The sum aimed at, less the bias, kept where adding the bias back cannot overflow.
                        let b = Int64(bias[c]), sum = Int64(max(min(target / real, 3e9), -3e9))
                        return real == 0 ? 0 : Int32(min(max(sum - b, Int64(Int32.min) - min(b, 0)), Int64(Int32.max) - max(b, 0)))
                    }
                    var blocked = [UInt8](repeating: 0, count: rows * channels)
                    tfl_requantize_8bit_rows(acc, accStride, rows, bias, multipliers, shifts, zeroPoint, low, high, &blocked, channels, channels, rounding)
                    var single = [UInt8](repeating: 0, count: rows * channels)
                    var expected = [UInt8](repeating: 0, count: rows * channels)
                    for r in 0..<rows {
                        acc.withUnsafeBufferPointer { a in
                            single.withUnsafeMutableBufferPointer { o in
                                guard let a = a.baseAddress, let o = o.baseAddress else { return }
                                tfl_requantize_8bit(a + r * accStride, bias, multipliers, shifts, zeroPoint, low, high, o + r * channels, channels, rounding)
                            }
                        }
                        for c in 0..<channels {
                            let m = FixedPoint.Multiplier(multiplier: multipliers[c], shift: Int(shifts[c]))
                            let value = Self.multiply(acc[r * accStride + c] &+ bias[c], by: m, rounding) &+ zeroPoint
                            expected[r * channels + c] = UInt8(truncatingIfNeeded: min(max(value, low), high))
                        }
                    }
                    let againstSingle = zip(blocked, single).filter { $0 != $1 }.count
                    let againstScalar = zip(blocked, expected).filter { $0 != $1 }.count
                    #expect(againstSingle == 0, "range \(low)…\(high) channels \(channels) rows \(rows) rounding \(rounding.rawValue) \(variant): \(againstSingle) differ from single rows")
                    #expect(againstScalar == 0, "range \(low)…\(high) channels \(channels) rows \(rows) rounding \(rounding.rawValue) \(variant): \(againstScalar) differ from FixedPoint")
                    inRange += expected.filter { $0 != UInt8(truncatingIfNeeded: low) && $0 != UInt8(truncatingIfNeeded: high) }.count
                    total += expected.count
                }
            }
            }
            #expect(inRange > total / 2, "most outputs should land inside the clamp")
        }
    }
}

extension KernelChecks {
    /// The 8-bit pooling window maximum against a plain loop: channel counts around the 32- and
    /// 64-wide vectors, int8 and uint8, activation bounds inside and at the type's range.
    static func maxWindowMatchesPlainLoop(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for depth in [1, 31, 32, 33, 64, 70, 130] {
                let height = 3, width = 2, rowStride = depth * 5 + 7
                let input = (0..<(height * rowStride)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                for (signed, low, high): (Bool, Int32, Int32) in [(true, -128, 127), (true, 0, 6), (false, 0, 255), (false, 3, 200)] {
                    var output = [UInt8](repeating: 0, count: depth)
                    tfl_max_window_8bit(&output, input, rowStride, height, width, depth, signed ? 1 : 0, low, high)
                    var mismatches = 0
                    for c in 0..<depth {
                        var m = low
                        for y in 0..<height {
                            for x in 0..<width {
                                let byte = input[y * rowStride + x * depth + c]
                                m = max(m, signed ? Int32(Int8(bitPattern: byte)) : Int32(byte))
                            }
                        }
                        if output[c] != UInt8(truncatingIfNeeded: min(m, high)) { mismatches += 1 }
                    }
                    #expect(mismatches == 0, "\(variant) depth \(depth) signed \(signed) range \(low)…\(high)")
                }
            }
        }
    }
}

extension KernelChecks {
    /// The 8-bit window average (AVERAGE_POOL_2D) against LiteRT's integer rounding written out:
    /// channel counts around the 8- and 16-wide blocks, windows of 1 to 12 pixels (clipped
    /// windows included), both signs, clamps.
    static func averageWindowMatchesRoundedDivision(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for depth in [1, 7, 8, 9, 16, 17, 31, 70] {
                for (height, width) in [(1, 1), (3, 3), (2, 3), (3, 4), (1, 2)] {
                    let rowStride = depth * 5 + 3
                    var input = (0..<(height * rowStride)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    if depth > 1 { for y in 0..<height { for x in 0..<width { input[y * rowStride + x * depth] = 0x80 } } }
                    for (signed, low, high): (Bool, Int32, Int32) in [(true, -128, 127), (true, 0, 6), (false, 0, 255), (false, 3, 200)] {
                        var output = [UInt8](repeating: 0, count: depth)
                        tfl_average_window_8bit(&output, input, rowStride, height, width, depth, signed ? 1 : 0, low, high)
                        var mismatches = 0
                        let count = Int32(height * width)
                        for c in 0..<depth {
                            var sum: Int32 = 0
                            for y in 0..<height {
                                for x in 0..<width {
                                    let byte = input[y * rowStride + x * depth + c]
                                    sum += signed ? Int32(Int8(bitPattern: byte)) : Int32(byte)
                                }
                            }
                            let q = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count
                            if output[c] != UInt8(truncatingIfNeeded: min(max(q, low), high)) { mismatches += 1 }
                        }
                        #expect(mismatches == 0, "\(variant) depth \(depth) window \(height)×\(width) signed \(signed) range \(low)…\(high)")
                    }
                }
            }
        }
    }
}

extension KernelChecks {
    /// tfl_im2col against a plain loop over every tap, on windows inside, across and outside the
    /// image (padding, strides, dilation, 1-, 2- and 4-byte elements, two images), for pieces of
    /// the output starting anywhere; 64 guard bytes after the patches must stay untouched (the
    /// vector paths store whole registers where the next patch overwrites the excess).
    static func im2colMatchesPlainLoop(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            // (in, depth, filter, stride, dilation, pad)
            let shapes = [(9, 3, 3, 2, 1, 0), (9, 3, 3, 2, 1, 1), (8, 3, 3, 1, 1, 1), (7, 16, 3, 1, 1, 1), (6, 5, 2, 2, 1, 0),
                          (10, 1, 5, 1, 1, 2), (7, 24, 3, 2, 1, 1), (8, 2, 3, 1, 2, 2), (5, 70, 1, 1, 1, 0), (6, 3, 4, 3, 1, 3)]
            for (size, depth, filter, stride, dilation, pad) in shapes {
                for element in [1, 2, 4] {
                    let span = (filter - 1) * dilation + 1
                    let out = (size + 2 * pad - span) / stride + 1
                    var g = tfl_im2col_geometry(in_h: size, in_w: size, depth: depth, filter_h: filter, filter_w: filter,
                                                stride_h: stride, stride_w: stride, dilation_h: dilation, dilation_w: dilation,
                                                pad_h: pad, pad_w: pad, out_h: out, out_w: out)
                    let batches = 2, patch = filter * filter * depth * element, pixels = batches * out * out
                    let input = (0..<(batches * size * size * depth * element)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    let pads = (0..<(batches * element)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    var expected = [UInt8](repeating: 0, count: pixels * patch)
                    for p in 0..<pixels {
                        let batch = p / (out * out), oy = p / out % out, ox = p % out
                        for ky in 0..<filter {
                            for kx in 0..<filter {
                                let iy = oy * stride - pad + ky * dilation, ix = ox * stride - pad + kx * dilation
                                let inside = iy >= 0 && iy < size && ix >= 0 && ix < size
                                for c in 0..<depth * element {
                                    let at = p * patch + (ky * filter + kx) * depth * element + c
                                    expected[at] = inside ? input[((batch * size + iy) * size + ix) * depth * element + c]
                                                          : pads[batch * element + c % element]
                                }
                            }
                        }
                    }
                    for (first, count) in [(0, pixels), (1, pixels - 1), (out - 1, 2), (pixels - 1, 1), (out / 2, out + 3)] where count > 0 {
                        var target = [UInt8](repeating: 0xA5, count: count * patch + 64)
                        tfl_im2col(&target, input, element, &g, first, count, pads)
                        let wanted = Array(expected[first * patch ..< (first + count) * patch])
                        #expect(Array(target[..<(count * patch)]) == wanted, "size \(size) depth \(depth) filter \(filter) stride \(stride) dilation \(dilation) pad \(pad) element \(element) first \(first) count \(count) \(variant)")
                        #expect(target[(count * patch)...].allSatisfy { $0 == 0xA5 }, "wrote past the patches: element \(element) \(variant)")
                    }
                }
            }
        }
    }
}

extension KernelChecks {
    /// The vectorized 8-bit ADD and SUB against the scalar reference (`FixedPoint.multiply` for
    /// each rescaling) on every pair of input bytes, with parameters as LiteRT derives them
    /// (the larger-scale input halved exactly, the other shifted right) and outside them
    /// (shifts 0 and left, the largest and negative multipliers, clamps at the zero point).
    static func addIsBitExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let pairs = 1 << 16
            let a = (0..<pairs).map { UInt8(truncatingIfNeeded: $0) }, b = (0..<pairs).map { UInt8(truncatingIfNeeded: $0 >> 8) }
            let multipliers: [Int32] = [1 << 30, (1 << 30) + 12345, 1_518_500_250, .max, -(1 << 30) - 7, .min]
            for round in 0..<10 {
                let signed = round % 2 == 0
                let usual = round < 6
                var p = tfl_add_params()
                p.left_shift = 20
                p.offset_a = Int32.random(in: -127...128, using: &generator)
                p.offset_b = Int32.random(in: -127...128, using: &generator)
                p.multiplier_a = usual ? Int32.random(in: 1 << 30 ... .max, using: &generator) : multipliers.randomElement(using: &generator) ?? 0
                p.shift_a = usual ? Int32.random(in: -12 ... -1, using: &generator) : Int32.random(in: -25...2, using: &generator)
                p.multiplier_b = usual ? 1 << 30 : multipliers.randomElement(using: &generator) ?? 0
                p.shift_b = usual ? 0 : Int32.random(in: -25...2, using: &generator)
                p.multiplier_out = Int32.random(in: 1 << 30 ... .max, using: &generator)
                p.shift_out = usual ? Int32.random(in: -22 ... -15, using: &generator) : Int32.random(in: -24...3, using: &generator)
                p.zero_point_out = Int32.random(in: signed ? -128...127 : 0...255, using: &generator)
                p.minimum = round % 3 == 0 ? p.zero_point_out : (signed ? -128 : 0)
                p.maximum = signed ? 127 : 255
                let negate = round % 4 == 3
                var output = [UInt8](repeating: 0, count: pairs)
                tfl_add_8bit(a, b, signed ? 1 : 0, negate ? 1 : 0, &p, &output, pairs)
                func rescaled(_ byte: UInt8, _ offset: Int32, _ m: Int32, _ shift: Int32) -> Int32 {
                    let x = (signed ? Int32(Int8(bitPattern: byte)) : Int32(byte)) + offset
                    return FixedPoint.multiply(x << p.left_shift, by: FixedPoint.Multiplier(multiplier: m, shift: Int(shift)))
                }
                var mismatches = 0
                for i in 0..<pairs {
                    let x = rescaled(a[i], p.offset_a, p.multiplier_a, p.shift_a), y = rescaled(b[i], p.offset_b, p.multiplier_b, p.shift_b)
                    let sum = negate ? x &- y : x &+ y
                    let value = FixedPoint.multiply(sum, by: FixedPoint.Multiplier(multiplier: p.multiplier_out, shift: Int(p.shift_out))) &+ p.zero_point_out
                    if output[i] != UInt8(truncatingIfNeeded: min(max(value, p.minimum), p.maximum)) { mismatches += 1 }
                }
                #expect(mismatches == 0, "\(variant), parameters \(p): \(mismatches) of \(pairs) differ")
            }
        }
    }
}

@Suite("Kernels: portable C")
struct PortableKernelTests {
    /// uint8 values as int8 (less 128) at every length around the 8-byte steps, in place too.
    @Test func uint8ToInt8FlipsTheTopBit() {
        for n in [0, 1, 7, 8, 9, 16, 255, 256, 1000] {
            let values = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            var out = [Int8](repeating: 0, count: n)
            tfl_uint8_to_int8(values, &out, n)
            #expect(out == values.map { Int8(Int($0) - 128) }, "n \(n)")
        }
    }

    @Test func conformanceCasesMatchLiteRT() throws { try KernelChecks.conformanceCasesMatchLiteRT(.portable) }
    @Test func requantizationIsBitExact() { KernelChecks.requantizationIsBitExact(.portable) }
    @Test func requantizationRowsAreBitExact() { KernelChecks.requantizationRowsAreBitExact(.portable) }
    @Test func integerKernelsAreExact() { KernelChecks.integerKernelsAreExact(.portable) }
    @Test func asymmetricQuantizationIsExact() { KernelChecks.asymmetricQuantizationIsExact(.portable) }
    @Test func hybridDequantizationIsExact() { KernelChecks.hybridDequantizationIsExact(.portable) }
    @Test func dotProductGEMMIsExact() { KernelChecks.dotProductGEMMIsExact(.portable) }
    @Test func columnSumsMatchPlainLoop() { KernelChecks.columnSumsMatchPlainLoop(.portable) }
    @Test func floatColumnSumsMatchPlainLoop() { KernelChecks.floatColumnSumsMatchPlainLoop(.portable) }
    @Test func floatWindowMatchesPlainLoop() { KernelChecks.floatWindowMatchesPlainLoop(.portable) }
    @Test func logisticIsAccurate() { KernelChecks.logisticIsAccurate(.portable) }
    @Test func rangeScanMatchesTheScalarFold() { KernelChecks.rangeScanMatchesTheScalarFold(.portable) }
    @Test func floatGEMMIsExact() { KernelChecks.floatGEMMIsExact(.portable) }
    @Test func pixelConvolutionIsExact() { KernelChecks.pixelConvolutionIsExact(.portable) }
    @Test func pixelConvolution8BitIsExact() { KernelChecks.pixelConvolution8BitIsExact(.portable) }
    @Test func directConvolutionIsExact() { KernelChecks.directConvolutionIsExact(.portable) }
    @Test func directFloatConvolutionMatchesTheGEMM() { KernelChecks.directFloatConvolutionMatchesTheGEMM(.portable) }
    @Test func sparseProductIsExact() { KernelChecks.sparseProductIsExact(.portable) }
    @Test func sparse8BitProductIsExact() { KernelChecks.sparse8BitProductIsExact(.portable) }
    @Test func sparseRowProductIsExact() { KernelChecks.sparseRowProductIsExact(.portable) }
    @Test func byteLookupMatchesIndexing() { KernelChecks.byteLookupMatchesIndexing(.portable) }
    @Test func depthwiseRowsAreExact() { KernelChecks.depthwiseRowsAreExact(.portable) }
    @Test func rowRequantizationMatchesSingleRows() { KernelChecks.rowRequantizationMatchesSingleRows(.portable) }
    @Test func maxWindowMatchesPlainLoop() { KernelChecks.maxWindowMatchesPlainLoop(.portable) }
    @Test func averageWindowMatchesRoundedDivision() { KernelChecks.averageWindowMatchesRoundedDivision(.portable) }
    @Test func im2colMatchesPlainLoop() { KernelChecks.im2colMatchesPlainLoop(.portable) }
    @Test func addIsBitExact() { KernelChecks.addIsBitExact(.portable) }
    @Test func int16AddIsBitExact() { KernelChecks.int16AddIsBitExact(.portable) }
    @Test func int16GEMMIsExact() { KernelChecks.int16GEMMIsExact(.portable) }
    @Test func int16RequantizationIsBitExact() { KernelChecks.int16RequantizationIsBitExact(.portable) }
    @Test func int16DepthwiseIsExact() { KernelChecks.int16DepthwiseIsExact(.portable) }
    @Test func linearQuantizationMatchesSwift() { KernelChecks.linearQuantizationMatchesSwift(.portable) }
    @Test func linearDequantizationMatchesSwift() { KernelChecks.linearDequantizationMatchesSwift(.portable) }
    @Test func int8ResizeRowsMatchLiteRT() { KernelChecks.int8ResizeRowsMatchLiteRT(.portable) }
}

@Suite("Kernels: AVX2 + FMA", .enabled(if: KernelVariant.avx2.isSupported, "the CPU lacks AVX2 and FMA"))
struct AVX2KernelTests {
    @Test func conformanceCasesMatchLiteRT() throws { try KernelChecks.conformanceCasesMatchLiteRT(.avx2) }
    @Test func requantizationIsBitExact() { KernelChecks.requantizationIsBitExact(.avx2) }
    @Test func requantizationRowsAreBitExact() { KernelChecks.requantizationRowsAreBitExact(.avx2) }
    @Test func integerKernelsAreExact() { KernelChecks.integerKernelsAreExact(.avx2) }
    @Test func asymmetricQuantizationIsExact() { KernelChecks.asymmetricQuantizationIsExact(.avx2) }
    @Test func hybridDequantizationIsExact() { KernelChecks.hybridDequantizationIsExact(.avx2) }
    @Test func dotProductGEMMIsExact() { KernelChecks.dotProductGEMMIsExact(.avx2) }
    @Test func columnSumsMatchPlainLoop() { KernelChecks.columnSumsMatchPlainLoop(.avx2) }
    @Test func floatColumnSumsMatchPlainLoop() { KernelChecks.floatColumnSumsMatchPlainLoop(.avx2) }
    @Test func floatWindowMatchesPlainLoop() { KernelChecks.floatWindowMatchesPlainLoop(.avx2) }
    @Test func logisticIsAccurate() { KernelChecks.logisticIsAccurate(.avx2) }
    @Test func rangeScanMatchesTheScalarFold() { KernelChecks.rangeScanMatchesTheScalarFold(.avx2) }
    @Test func floatGEMMIsExact() { KernelChecks.floatGEMMIsExact(.avx2) }
    @Test func pixelConvolutionIsExact() { KernelChecks.pixelConvolutionIsExact(.avx2) }
    @Test func pixelConvolution8BitIsExact() { KernelChecks.pixelConvolution8BitIsExact(.avx2) }
    @Test func directConvolutionIsExact() { KernelChecks.directConvolutionIsExact(.avx2) }
    @Test func directFloatConvolutionMatchesTheGEMM() { KernelChecks.directFloatConvolutionMatchesTheGEMM(.avx2) }
    @Test func sparseProductIsExact() { KernelChecks.sparseProductIsExact(.avx2) }
    @Test func sparse8BitProductIsExact() { KernelChecks.sparse8BitProductIsExact(.avx2) }
    @Test func sparseRowProductIsExact() { KernelChecks.sparseRowProductIsExact(.avx2) }
    @Test func byteLookupMatchesIndexing() { KernelChecks.byteLookupMatchesIndexing(.avx2) }
    @Test func depthwiseRowsAreExact() { KernelChecks.depthwiseRowsAreExact(.avx2) }
    @Test func rowRequantizationMatchesSingleRows() { KernelChecks.rowRequantizationMatchesSingleRows(.avx2) }
    @Test func maxWindowMatchesPlainLoop() { KernelChecks.maxWindowMatchesPlainLoop(.avx2) }
    @Test func averageWindowMatchesRoundedDivision() { KernelChecks.averageWindowMatchesRoundedDivision(.avx2) }
    @Test func im2colMatchesPlainLoop() { KernelChecks.im2colMatchesPlainLoop(.avx2) }
    @Test func addIsBitExact() { KernelChecks.addIsBitExact(.avx2) }
    @Test func int16AddIsBitExact() { KernelChecks.int16AddIsBitExact(.avx2) }
    @Test func int16GEMMIsExact() { KernelChecks.int16GEMMIsExact(.avx2) }
    @Test func int16RequantizationIsBitExact() { KernelChecks.int16RequantizationIsBitExact(.avx2) }
    @Test func int16DepthwiseIsExact() { KernelChecks.int16DepthwiseIsExact(.avx2) }
    @Test func linearQuantizationMatchesSwift() { KernelChecks.linearQuantizationMatchesSwift(.avx2) }
    @Test func linearDequantizationMatchesSwift() { KernelChecks.linearDequantizationMatchesSwift(.avx2) }
    @Test func int8ResizeRowsMatchLiteRT() { KernelChecks.int8ResizeRowsMatchLiteRT(.avx2) }
}

@Suite("Kernels: AVX-512 without VNNI and VBMI", .enabled(if: KernelVariant.avx512.isSupported, "the CPU lacks AVX-512 F/BW/DQ/VL"))
struct AVX512KernelTests {
    @Test func conformanceCasesMatchLiteRT() throws { try KernelChecks.conformanceCasesMatchLiteRT(.avx512) }
    @Test func requantizationIsBitExact() { KernelChecks.requantizationIsBitExact(.avx512) }
    @Test func requantizationRowsAreBitExact() { KernelChecks.requantizationRowsAreBitExact(.avx512) }
    @Test func integerKernelsAreExact() { KernelChecks.integerKernelsAreExact(.avx512) }
    @Test func asymmetricQuantizationIsExact() { KernelChecks.asymmetricQuantizationIsExact(.avx512) }
    @Test func hybridDequantizationIsExact() { KernelChecks.hybridDequantizationIsExact(.avx512) }
    @Test func dotProductGEMMIsExact() { KernelChecks.dotProductGEMMIsExact(.avx512) }
    @Test func columnSumsMatchPlainLoop() { KernelChecks.columnSumsMatchPlainLoop(.avx512) }
    @Test func floatColumnSumsMatchPlainLoop() { KernelChecks.floatColumnSumsMatchPlainLoop(.avx512) }
    @Test func floatWindowMatchesPlainLoop() { KernelChecks.floatWindowMatchesPlainLoop(.avx512) }
    @Test func logisticIsAccurate() { KernelChecks.logisticIsAccurate(.avx512) }
    @Test func rangeScanMatchesTheScalarFold() { KernelChecks.rangeScanMatchesTheScalarFold(.avx512) }
    @Test func floatGEMMIsExact() { KernelChecks.floatGEMMIsExact(.avx512) }
    @Test func pixelConvolutionIsExact() { KernelChecks.pixelConvolutionIsExact(.avx512) }
    @Test func pixelConvolution8BitIsExact() { KernelChecks.pixelConvolution8BitIsExact(.avx512) }
    @Test func directConvolutionIsExact() { KernelChecks.directConvolutionIsExact(.avx512) }
    @Test func directFloatConvolutionMatchesTheGEMM() { KernelChecks.directFloatConvolutionMatchesTheGEMM(.avx512) }
    @Test func sparseProductIsExact() { KernelChecks.sparseProductIsExact(.avx512) }
    @Test func sparse8BitProductIsExact() { KernelChecks.sparse8BitProductIsExact(.avx512) }
    @Test func sparseRowProductIsExact() { KernelChecks.sparseRowProductIsExact(.avx512) }
    @Test func byteLookupMatchesIndexing() { KernelChecks.byteLookupMatchesIndexing(.avx512) }
    @Test func depthwiseRowsAreExact() { KernelChecks.depthwiseRowsAreExact(.avx512) }
    @Test func rowRequantizationMatchesSingleRows() { KernelChecks.rowRequantizationMatchesSingleRows(.avx512) }
    @Test func maxWindowMatchesPlainLoop() { KernelChecks.maxWindowMatchesPlainLoop(.avx512) }
    @Test func averageWindowMatchesRoundedDivision() { KernelChecks.averageWindowMatchesRoundedDivision(.avx512) }
    @Test func im2colMatchesPlainLoop() { KernelChecks.im2colMatchesPlainLoop(.avx512) }
    @Test func addIsBitExact() { KernelChecks.addIsBitExact(.avx512) }
    @Test func int16AddIsBitExact() { KernelChecks.int16AddIsBitExact(.avx512) }
    @Test func int16GEMMIsExact() { KernelChecks.int16GEMMIsExact(.avx512) }
    @Test func int16RequantizationIsBitExact() { KernelChecks.int16RequantizationIsBitExact(.avx512) }
    @Test func int16DepthwiseIsExact() { KernelChecks.int16DepthwiseIsExact(.avx512) }
    @Test func linearQuantizationMatchesSwift() { KernelChecks.linearQuantizationMatchesSwift(.avx512) }
    @Test func linearDequantizationMatchesSwift() { KernelChecks.linearDequantizationMatchesSwift(.avx512) }
    @Test func int8ResizeRowsMatchLiteRT() { KernelChecks.int8ResizeRowsMatchLiteRT(.avx512) }
}

@Suite("Kernels: AVX-512 with VNNI (and VBMI where present)", .enabled(if: KernelVariant.avx512VNNI.isSupported, "the CPU lacks AVX-512 VNNI"))
struct AVX512VNNIKernelTests {
    @Test func conformanceCasesMatchLiteRT() throws { try KernelChecks.conformanceCasesMatchLiteRT(.avx512VNNI) }
    @Test func requantizationIsBitExact() { KernelChecks.requantizationIsBitExact(.avx512VNNI) }
    @Test func requantizationRowsAreBitExact() { KernelChecks.requantizationRowsAreBitExact(.avx512VNNI) }
    @Test func integerKernelsAreExact() { KernelChecks.integerKernelsAreExact(.avx512VNNI) }
    @Test func asymmetricQuantizationIsExact() { KernelChecks.asymmetricQuantizationIsExact(.avx512VNNI) }
    @Test func hybridDequantizationIsExact() { KernelChecks.hybridDequantizationIsExact(.avx512VNNI) }
    @Test func dotProductGEMMIsExact() { KernelChecks.dotProductGEMMIsExact(.avx512VNNI) }
    @Test func columnSumsMatchPlainLoop() { KernelChecks.columnSumsMatchPlainLoop(.avx512VNNI) }
    @Test func floatColumnSumsMatchPlainLoop() { KernelChecks.floatColumnSumsMatchPlainLoop(.avx512VNNI) }
    @Test func floatWindowMatchesPlainLoop() { KernelChecks.floatWindowMatchesPlainLoop(.avx512VNNI) }
    @Test func logisticIsAccurate() { KernelChecks.logisticIsAccurate(.avx512VNNI) }
    @Test func rangeScanMatchesTheScalarFold() { KernelChecks.rangeScanMatchesTheScalarFold(.avx512VNNI) }
    @Test func floatGEMMIsExact() { KernelChecks.floatGEMMIsExact(.avx512VNNI) }
    @Test func pixelConvolutionIsExact() { KernelChecks.pixelConvolutionIsExact(.avx512VNNI) }
    @Test func pixelConvolution8BitIsExact() { KernelChecks.pixelConvolution8BitIsExact(.avx512VNNI) }
    @Test func directConvolutionIsExact() { KernelChecks.directConvolutionIsExact(.avx512VNNI) }
    @Test func directFloatConvolutionMatchesTheGEMM() { KernelChecks.directFloatConvolutionMatchesTheGEMM(.avx512VNNI) }
    @Test func sparseProductIsExact() { KernelChecks.sparseProductIsExact(.avx512VNNI) }
    @Test func sparse8BitProductIsExact() { KernelChecks.sparse8BitProductIsExact(.avx512VNNI) }
    @Test func sparseRowProductIsExact() { KernelChecks.sparseRowProductIsExact(.avx512VNNI) }
    @Test func byteLookupMatchesIndexing() { KernelChecks.byteLookupMatchesIndexing(.avx512VNNI) }
    @Test func depthwiseRowsAreExact() { KernelChecks.depthwiseRowsAreExact(.avx512VNNI) }
    @Test func rowRequantizationMatchesSingleRows() { KernelChecks.rowRequantizationMatchesSingleRows(.avx512VNNI) }
    @Test func maxWindowMatchesPlainLoop() { KernelChecks.maxWindowMatchesPlainLoop(.avx512VNNI) }
    @Test func averageWindowMatchesRoundedDivision() { KernelChecks.averageWindowMatchesRoundedDivision(.avx512VNNI) }
    @Test func im2colMatchesPlainLoop() { KernelChecks.im2colMatchesPlainLoop(.avx512VNNI) }
    @Test func addIsBitExact() { KernelChecks.addIsBitExact(.avx512VNNI) }
    @Test func int16AddIsBitExact() { KernelChecks.int16AddIsBitExact(.avx512VNNI) }
    @Test func int16GEMMIsExact() { KernelChecks.int16GEMMIsExact(.avx512VNNI) }
    @Test func int16RequantizationIsBitExact() { KernelChecks.int16RequantizationIsBitExact(.avx512VNNI) }
    @Test func int16DepthwiseIsExact() { KernelChecks.int16DepthwiseIsExact(.avx512VNNI) }
    @Test func linearQuantizationMatchesSwift() { KernelChecks.linearQuantizationMatchesSwift(.avx512VNNI) }
    @Test func linearDequantizationMatchesSwift() { KernelChecks.linearDequantizationMatchesSwift(.avx512VNNI) }
    @Test func int8ResizeRowsMatchLiteRT() { KernelChecks.int8ResizeRowsMatchLiteRT(.avx512VNNI) }
}

@Suite("Kernels: NEON without the dot product", .enabled(if: KernelVariant.neon.isSupported, "the CPU lacks Advanced SIMD (scripts/check_neon.sh checks it under emulation)"))
struct NEONKernelTests {
    @Test func conformanceCasesMatchLiteRT() throws { try KernelChecks.conformanceCasesMatchLiteRT(.neon) }
    @Test func requantizationIsBitExact() { KernelChecks.requantizationIsBitExact(.neon) }
    @Test func requantizationRowsAreBitExact() { KernelChecks.requantizationRowsAreBitExact(.neon) }
    @Test func integerKernelsAreExact() { KernelChecks.integerKernelsAreExact(.neon) }
    @Test func asymmetricQuantizationIsExact() { KernelChecks.asymmetricQuantizationIsExact(.neon) }
    @Test func dotProductGEMMIsExact() { KernelChecks.dotProductGEMMIsExact(.neon) }
    @Test func columnSumsMatchPlainLoop() { KernelChecks.columnSumsMatchPlainLoop(.neon) }
    @Test func floatColumnSumsMatchPlainLoop() { KernelChecks.floatColumnSumsMatchPlainLoop(.neon) }
    @Test func floatWindowMatchesPlainLoop() { KernelChecks.floatWindowMatchesPlainLoop(.neon) }
    @Test func logisticIsAccurate() { KernelChecks.logisticIsAccurate(.neon) }
    @Test func rangeScanMatchesTheScalarFold() { KernelChecks.rangeScanMatchesTheScalarFold(.neon) }
    @Test func floatGEMMIsExact() { KernelChecks.floatGEMMIsExact(.neon) }
    @Test func pixelConvolutionIsExact() { KernelChecks.pixelConvolutionIsExact(.neon) }
    @Test func pixelConvolution8BitIsExact() { KernelChecks.pixelConvolution8BitIsExact(.neon) }
    @Test func directConvolutionIsExact() { KernelChecks.directConvolutionIsExact(.neon) }
    @Test func directFloatConvolutionMatchesTheGEMM() { KernelChecks.directFloatConvolutionMatchesTheGEMM(.neon) }
    @Test func sparseProductIsExact() { KernelChecks.sparseProductIsExact(.neon) }
    @Test func sparse8BitProductIsExact() { KernelChecks.sparse8BitProductIsExact(.neon) }
    @Test func sparseRowProductIsExact() { KernelChecks.sparseRowProductIsExact(.neon) }
    @Test func byteLookupMatchesIndexing() { KernelChecks.byteLookupMatchesIndexing(.neon) }
    @Test func depthwiseRowsAreExact() { KernelChecks.depthwiseRowsAreExact(.neon) }
    @Test func rowRequantizationMatchesSingleRows() { KernelChecks.rowRequantizationMatchesSingleRows(.neon) }
    @Test func maxWindowMatchesPlainLoop() { KernelChecks.maxWindowMatchesPlainLoop(.neon) }
    @Test func averageWindowMatchesRoundedDivision() { KernelChecks.averageWindowMatchesRoundedDivision(.neon) }
    @Test func im2colMatchesPlainLoop() { KernelChecks.im2colMatchesPlainLoop(.neon) }
    @Test func addIsBitExact() { KernelChecks.addIsBitExact(.neon) }
    @Test func int16AddIsBitExact() { KernelChecks.int16AddIsBitExact(.neon) }
    @Test func int16GEMMIsExact() { KernelChecks.int16GEMMIsExact(.neon) }
    @Test func int16RequantizationIsBitExact() { KernelChecks.int16RequantizationIsBitExact(.neon) }
    @Test func int16DepthwiseIsExact() { KernelChecks.int16DepthwiseIsExact(.neon) }
    @Test func linearQuantizationMatchesSwift() { KernelChecks.linearQuantizationMatchesSwift(.neon) }
    @Test func linearDequantizationMatchesSwift() { KernelChecks.linearDequantizationMatchesSwift(.neon) }
    @Test func int8ResizeRowsMatchLiteRT() { KernelChecks.int8ResizeRowsMatchLiteRT(.neon) }
}

@Suite("Kernels: NEON with the dot product", .enabled(if: KernelVariant.neonDot.isSupported, "the CPU lacks the NEON dot product (scripts/check_neon.sh checks it under emulation)"))
struct NEONDotKernelTests {
    @Test func conformanceCasesMatchLiteRT() throws { try KernelChecks.conformanceCasesMatchLiteRT(.neonDot) }
    @Test func requantizationIsBitExact() { KernelChecks.requantizationIsBitExact(.neonDot) }
    @Test func requantizationRowsAreBitExact() { KernelChecks.requantizationRowsAreBitExact(.neonDot) }
    @Test func integerKernelsAreExact() { KernelChecks.integerKernelsAreExact(.neonDot) }
    @Test func asymmetricQuantizationIsExact() { KernelChecks.asymmetricQuantizationIsExact(.neonDot) }
    @Test func dotProductGEMMIsExact() { KernelChecks.dotProductGEMMIsExact(.neonDot) }
    @Test func columnSumsMatchPlainLoop() { KernelChecks.columnSumsMatchPlainLoop(.neonDot) }
    @Test func floatColumnSumsMatchPlainLoop() { KernelChecks.floatColumnSumsMatchPlainLoop(.neonDot) }
    @Test func floatWindowMatchesPlainLoop() { KernelChecks.floatWindowMatchesPlainLoop(.neonDot) }
    @Test func logisticIsAccurate() { KernelChecks.logisticIsAccurate(.neonDot) }
    @Test func rangeScanMatchesTheScalarFold() { KernelChecks.rangeScanMatchesTheScalarFold(.neonDot) }
    @Test func floatGEMMIsExact() { KernelChecks.floatGEMMIsExact(.neonDot) }
    @Test func pixelConvolutionIsExact() { KernelChecks.pixelConvolutionIsExact(.neonDot) }
    @Test func pixelConvolution8BitIsExact() { KernelChecks.pixelConvolution8BitIsExact(.neonDot) }
    @Test func directConvolutionIsExact() { KernelChecks.directConvolutionIsExact(.neonDot) }
    @Test func directFloatConvolutionMatchesTheGEMM() { KernelChecks.directFloatConvolutionMatchesTheGEMM(.neonDot) }
    @Test func sparseProductIsExact() { KernelChecks.sparseProductIsExact(.neonDot) }
    @Test func sparse8BitProductIsExact() { KernelChecks.sparse8BitProductIsExact(.neonDot) }
    @Test func sparseRowProductIsExact() { KernelChecks.sparseRowProductIsExact(.neonDot) }
    @Test func byteLookupMatchesIndexing() { KernelChecks.byteLookupMatchesIndexing(.neonDot) }
    @Test func depthwiseRowsAreExact() { KernelChecks.depthwiseRowsAreExact(.neonDot) }
    @Test func rowRequantizationMatchesSingleRows() { KernelChecks.rowRequantizationMatchesSingleRows(.neonDot) }
    @Test func maxWindowMatchesPlainLoop() { KernelChecks.maxWindowMatchesPlainLoop(.neonDot) }
    @Test func averageWindowMatchesRoundedDivision() { KernelChecks.averageWindowMatchesRoundedDivision(.neonDot) }
    @Test func im2colMatchesPlainLoop() { KernelChecks.im2colMatchesPlainLoop(.neonDot) }
    @Test func addIsBitExact() { KernelChecks.addIsBitExact(.neonDot) }
    @Test func int16AddIsBitExact() { KernelChecks.int16AddIsBitExact(.neonDot) }
    @Test func int16GEMMIsExact() { KernelChecks.int16GEMMIsExact(.neonDot) }
    @Test func int16RequantizationIsBitExact() { KernelChecks.int16RequantizationIsBitExact(.neonDot) }
    @Test func int16DepthwiseIsExact() { KernelChecks.int16DepthwiseIsExact(.neonDot) }
    @Test func linearQuantizationMatchesSwift() { KernelChecks.linearQuantizationMatchesSwift(.neonDot) }
    @Test func linearDequantizationMatchesSwift() { KernelChecks.linearDequantizationMatchesSwift(.neonDot) }
    @Test func int8ResizeRowsMatchLiteRT() { KernelChecks.int8ResizeRowsMatchLiteRT(.neonDot) }
}
