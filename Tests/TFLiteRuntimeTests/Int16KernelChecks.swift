import CTFLiteKernels
import Foundation
import Testing
@testable import TFLiteRuntime

/// The int16×8 kernels (int16 activations, int8 weights) against plain 64-bit loops, run once per
/// kernel variant by the suites of KernelLevelTests.swift.
extension KernelChecks {
    /// `tfl_gemm_s16`: depths that leave an odd last step, cross the 32-bit chunk of the vector
    /// kernels (508 steps) or span several, channel counts around the 16-wide blocks, pixel counts
    /// around the 4- and 6-pixel tiles, and the extreme values (−32768 × −128 everywhere on one
    /// row: sums past 2^31 that only 64-bit accumulation holds).
    static func int16GEMMIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let shapes = [(1, 1, 1), (3, 17, 5), (27, 32, 9), (64, 70, 4), (131, 15, 7), (509, 33, 6), (1101, 40, 5), (2048, 16, 3)]
            for (depth, channels, pixels) in shapes {
                var weights = (0..<(channels * depth)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
                let xStride = depth + 3
                var x = (0..<(pixels * xStride)).map { _ in Int16.random(in: .min ... .max, using: &generator) }
                for k in 0..<depth { weights[k] = .min; x[k] = .min }  // channel 0, pixel 0: every product +2^22
                var packed = [Int16](repeating: 0, count: tfl_gemm_s16_packed_count(depth, channels))
                tfl_gemm_s16_pack(weights, channels, depth, &packed)
                let accStride = (channels + 15) / 16 * 16 + 5
                var acc = [Int64](repeating: -1, count: pixels * accStride)
                tfl_gemm_s16(&acc, accStride, x, xStride, pixels, packed, depth, channels)
                var mismatches = 0
                for p in 0..<pixels {
                    for j in 0..<channels {
                        var sum: Int64 = 0
                        for k in 0..<depth { sum += Int64(x[p * xStride + k]) * Int64(weights[j * depth + k]) }
                        if acc[p * accStride + j] != sum { mismatches += 1 }
                    }
                }
                #expect(mismatches == 0, "depth \(depth) channels \(channels) pixels \(pixels) \(variant): \(mismatches) differ")
                if depth > 512 { #expect(acc[0] > Int64(Int32.max), "the extreme row should pass 2^31") }
            }
        }
    }

    /// `tfl_requantize_s16_rows` against ``FixedPoint/multiply(_:by:)`` (the 64-bit form):
    /// every shift LiteRT produces, multipliers across their range and at the 0x7FFF0000 cut,
    /// sums anywhere in 48 bits and aimed inside the int16 range, with and without a bias,
    /// channel counts that leave tails at every vector width.
    static func int16RequantizationIsBitExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            var inside = 0, total = 0
            for (channels, rows) in [(1, 1), (3, 2), (8, 3), (13, 5), (33, 4), (100, 2)] {
                for (low, high): (Int32, Int32) in [(-32768, 32767), (0, 32767), (-1000, 6000)] {
                    let accStride = channels + 3
                    var multipliers = (0..<channels).map { _ in Int32.random(in: 1 << 30 ... .max, using: &generator) }
                    let shifts = (0..<channels).map { _ in Int32.random(in: -31 ... 7, using: &generator) }
                    if channels > 2 { multipliers[1] = 0x7FFF_0000; multipliers[2] = 0x7FFE_FFFF }
                    let bias = (0..<channels).map { _ in Int64.random(in: -1 << 40 ... 1 << 40, using: &generator) }
                    let acc = (0..<(rows * accStride)).map { i -> Int64 in
                        let c = i % accStride
                        guard c < channels, i % 3 != 0 else { return Int64.random(in: -1 << 47 ... 1 << 47, using: &generator) }
                        let real = Double(multipliers[c]) * pow(2, Double(shifts[c]) - 31)
                        let target = Double(Int.random(in: Int(low) - 20 ... Int(high) + 20, using: &generator)) + Double.random(in: -1...1, using: &generator)
                        return Int64(max(min(target / real, 1e15), -1e15)) - bias[c]
                    }
                    for withBias in [true, false] {
                        var output = [Int16](repeating: 0x5555, count: rows * channels)
                        if withBias {
                            tfl_requantize_s16_rows(acc, accStride, rows, bias, multipliers, shifts, low, high, &output, channels, channels)
                        } else {
                            tfl_requantize_s16_rows(acc, accStride, rows, nil, multipliers, shifts, low, high, &output, channels, channels)
                        }
                        var mismatches = 0
                        for r in 0..<rows {
                            for c in 0..<channels {
                                let m = FixedPoint.Multiplier(multiplier: multipliers[c], shift: Int(shifts[c]))
                                let value = FixedPoint.multiply(acc[r * accStride + c] &+ (withBias ? bias[c] : 0), by: m)
                                let expected = Int16(min(max(value, low), high))
                                if output[r * channels + c] != expected { mismatches += 1 }
                                if expected != low && expected != high { inside += 1 }
                                total += 1
                            }
                        }
                        #expect(mismatches == 0, "channels \(channels) rows \(rows) range \(low)…\(high) bias \(withBias) \(variant): \(mismatches) differ")
                    }
                }
            }
            #expect(inside > total / 4, "many outputs should land inside the clamp")
        }
    }

    /// `tfl_depthwise_i64` against a plain 64-bit loop: more taps than its 64-tap blocks, more
    /// channels than its 256-channel blocks, the int16 × int8 extremes.
    static func int16DepthwiseIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            for (taps, count) in [(1, 1), (9, 33), (25, 16), (70, 300), (200, 7)] {
                var values = (0..<(taps * count)).map { _ in Int32(Int16.random(in: .min ... .max, using: &generator)) }
                var filters = (0..<(taps * count)).map { _ in Int16(Int8.random(in: .min ... .max, using: &generator)) }
                for t in 0..<taps { values[t * count] = -32768; filters[t * count] = -128 }
                var expected = [Int64](repeating: 7, count: count)
                for t in 0..<taps { for c in 0..<count { expected[c] += Int64(values[t * count + c]) * Int64(filters[t * count + c]) } }
                var acc = [Int64](repeating: 7, count: count)
                values.withUnsafeBufferPointer { valueBuffer in
                    filters.withUnsafeBufferPointer { filterBuffer in
                        guard let valueBase = valueBuffer.baseAddress, let filterBase = filterBuffer.baseAddress else { return }
                        let xs: [UnsafePointer<Int32>?] = (0..<taps).map { valueBase + $0 * count }
                        let ws: [UnsafePointer<Int16>?] = (0..<taps).map { filterBase + $0 * count }
                        tfl_depthwise_i64(&acc, xs, ws, taps, count)
                    }
                }
                #expect(acc == expected, "taps \(taps) channels \(count) \(variant)")
            }
        }
    }
}

/// The per-tensor QUANTIZE and DEQUANTIZE kernels against the Swift formulas they replace, run
/// once per kernel variant.
extension KernelChecks {
    /// `tfl_quantize_linear`: ties (x · reciprocal at k + 0.5), out-of-range values, infinities and
    /// NaN, zero points inside and outside the type, lengths that leave vector tails.
    static func linearQuantizationMatchesSwift(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            var values = (0..<1037).map { _ in Float.random(in: -300...300, using: &generator) }
            values += [0.5, -0.5, 1.5, -1.5, 2.5, 126.5, 127.5, -128.5, 1e9, -1e9, .infinity, -.infinity, .nan, 0, -0.0, 32767.5, -32768.5]
            for (scale, zeroPoint) in [(Float(1), Int32(0)), (0.5, -3), (0.013, 17), (2, 200), (1, -40000)] {
                for (type, low, high) in [(TFL_QUANT_INT8, -128, 127), (TFL_QUANT_UINT8, 0, 255), (TFL_QUANT_INT16, -32768, 32767)] as [(Int, Float, Float)] {
                    let reciprocal = 1 / scale
                    var bytes = [UInt8](repeating: 0xA5, count: values.count * 2)
                    tfl_quantize_linear(values, values.count, reciprocal, zeroPoint, Int32(type), &bytes)
                    var mismatches = 0
                    for (i, value) in values.enumerated() {
                        let scaled = (value * reciprocal).rounded(.toNearestOrEven) + Float(zeroPoint)
                        let expected = scaled.isNaN ? min(max(zeroPoint, Int32(low)), Int32(high)) : Int32(min(max(scaled, low), high))
                        let got: Int32 = switch type {
                        case Int(TFL_QUANT_INT8): Int32(Int8(bitPattern: bytes[i]))
                        case Int(TFL_QUANT_UINT8): Int32(bytes[i])
                        default: Int32(Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8))
                        }
                        if got != expected { mismatches += 1 }
                    }
                    #expect(mismatches == 0, "type \(type) scale \(scale) zero point \(zeroPoint) \(variant): \(mismatches) differ")
                }
            }
        }
    }

    /// `tfl_dequantize_linear` against `Float(scale × Double(q − zero point))`: every int8, uint8 and
    /// many int16 values, lengths that leave vector tails; scales that are float32 values (the
    /// vector variants' float32 path, a subnormal one included) and ones that are not.
    static func linearDequantizationMatchesSwift(_ variant: KernelVariant) {
        variant.run {
            let signed = (0..<259).map { Int8(truncatingIfNeeded: $0) }
            let unsigned = (0..<259).map { UInt8(truncatingIfNeeded: $0) }
            let wide = (0..<1031).map { Int16(truncatingIfNeeded: $0 &* 64_007) }
            let scales: [(Double, Int32)] = [(0.0123, -5), (1e-5, 100), (3.5, 0), (Double(Float(0.0123)), -5),
                                             (Double(Float(1e-5)), 100), (Double(Float(1e-40)), 3), (Double(Float(0.7)), -32768)]
            for (scale, zeroPoint) in scales {
                var output = [Float](repeating: .nan, count: wide.count)
                tfl_dequantize_linear(signed, Int32(TFL_QUANT_INT8), signed.count, scale, zeroPoint, &output)
                #expect(signed.indices.allSatisfy { output[$0] == Float(scale * Double(Int32(signed[$0]) - zeroPoint)) }, "int8 \(variant)")
                tfl_dequantize_linear(unsigned, Int32(TFL_QUANT_UINT8), unsigned.count, scale, zeroPoint, &output)
                #expect(unsigned.indices.allSatisfy { output[$0] == Float(scale * Double(Int32(unsigned[$0]) - zeroPoint)) }, "uint8 \(variant)")
                tfl_dequantize_linear(wide, Int32(TFL_QUANT_INT16), wide.count, scale, zeroPoint, &output)
                #expect(wide.indices.allSatisfy { output[$0] == Float(scale * Double(Int32(wide[$0]) - zeroPoint)) }, "int16 \(variant)")
            }
        }
    }
}

extension KernelChecks {
    /// The vectorized int16 ADD and SUB against the per-element Swift reference
    /// (``QuantizedBinaryParameters/add(_:_:negateB:)``, LiteRT's arithmetic) on every int16
    /// value, in both roundings (one rounding per input, LiteRT's optimized same-shape ADD, and
    /// gemmlowp's), with scales as LiteRT derives them and outside them (shifts 0 and left,
    /// clamps narrower than int16, lengths that leave tails).
    static func int16AddIsBitExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            let count = 65_536 + 13
            let a = (0..<count).map { Int16(truncatingIfNeeded: $0 &- 32_768) }
            let b = (0..<count).map { _ in Int16.random(in: .min ... .max, using: &generator) }
            for round in 0..<8 {
                var q = QuantizedBinaryParameters()
                q.leftShift = 15
                let usual = round < 5
                q.multiplierA = FixedPoint.Multiplier(usual ? Double.random(in: 0.05...0.5, using: &generator) : Double.random(in: 0.5...1.9, using: &generator))
                q.multiplierB = FixedPoint.Multiplier(usual ? 0.5 : Double.random(in: 0.001...0.5, using: &generator))
                q.outputMultiplier = FixedPoint.Multiplier(Double.random(in: usual ? 1e-5...1e-3 : 1e-4...0.1, using: &generator))
                q.activationMin = round % 3 == 0 ? 0 : -32_768
                q.activationMax = round % 3 == 1 ? 20_000 : 32_767
                q.roundsInputsOnce = round % 2 == 0
                let negate = round % 4 == 3
                var p = tfl_add_params(
                    offset_a: q.inputOffsetA, offset_b: q.inputOffsetB, left_shift: q.leftShift,
                    multiplier_a: q.multiplierA.multiplier, shift_a: Int32(clamping: q.multiplierA.shift),
                    multiplier_b: q.multiplierB.multiplier, shift_b: Int32(clamping: q.multiplierB.shift),
                    multiplier_out: q.outputMultiplier.multiplier, shift_out: Int32(clamping: q.outputMultiplier.shift),
                    zero_point_out: q.outputOffset, minimum: q.activationMin, maximum: q.activationMax)
                var output = [Int16](repeating: 0, count: count)
                tfl_add_16bit(a, b, negate ? 1 : 0, q.roundsInputsOnce ? 1 : 0, &p, &output, count)
                var mismatches = 0
                for i in 0..<count where output[i] != Int16(truncatingIfNeeded: q.add(Int32(a[i]), Int32(b[i]), negateB: negate)) {
                    mismatches += 1
                }
                #expect(mismatches == 0, "\(variant), round \(round), parameters \(p): \(mismatches) of \(count) differ")
            }
        }
    }
}
