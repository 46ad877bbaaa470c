#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// LiteRT's fixed-point arithmetic for integer kernels: a real multiplier becomes a 32-bit
/// Q0.31 multiplier and a power-of-two shift, applied with gemmlowp's rounding. Matching these
/// bit for bit is what makes integer outputs equal LiteRT's.
package enum FixedPoint {
    /// A real multiplier as (Q0.31 multiplier, shift): `real ≈ multiplier × 2^(shift − 31)`.
    package struct Multiplier: Equatable, Sendable {
        package var multiplier: Int32
        package var shift: Int
        package init(multiplier: Int32, shift: Int) {
            self.multiplier = multiplier
            self.shift = shift
        }

        /// Quantizes `real` (LiteRT's `QuantizeMultiplier`).
        package init(_ real: Double) {
            guard real != 0, real.isFinite else {
                self.init(multiplier: 0, shift: 0)
                return
            }
            let (fraction, exponent) = frexpPair(real)
            var shift = exponent
            var fixed = Int64((fraction * Double(Int64(1) << 31)).rounded(.toNearestOrAwayFromZero))
            if fixed == Int64(1) << 31 {
                fixed /= 2
                shift += 1
            }
            if shift < -31 {
                shift = 0
                fixed = 0
            }
            if shift > 30 {
                shift = 30
                fixed = (Int64(1) << 31) - 1
            }
            self.init(multiplier: Int32(truncatingIfNeeded: fixed), shift: shift)
        }
    }

    /// `(a × b × 2 + 2^31) >> 32` with gemmlowp's rounding and saturation.
    @inline(__always)
    package static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? (1 << 30) : (1 - (1 << 30))
        return Int32(truncatingIfNeeded: (product + nudge) / (Int64(1) << 31))
    }

    /// Division by 2^exponent rounding half away from zero (gemmlowp's `RoundingDivideByPOT`).
    @inline(__always)
    package static func roundingDivideByPOT(_ x: Int32, _ exponent: Int) -> Int32 {
        if exponent <= 0 { return x }
        let mask = Int32(truncatingIfNeeded: (Int64(1) << exponent) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> Int32(exponent)) + (remainder > threshold ? 1 : 0)
    }

    /// Same rounding on 64-bit values.
    @inline(__always)
    package static func roundingDivideByPOT(_ x: Int64, _ exponent: Int) -> Int64 {
        if exponent <= 0 { return x }
        let mask = (Int64(1) << exponent) - 1
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> Int64(exponent)) + (remainder > threshold ? 1 : 0)
    }

    /// `x × multiplier × 2^shift` the way LiteRT's `MultiplyByQuantizedMultiplier` computes it.
    @inline(__always)
    package static func multiply(_ x: Int32, by m: Multiplier) -> Int32 {
        let leftShift = m.shift > 0 ? m.shift : 0
        let rightShift = m.shift > 0 ? 0 : -m.shift
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x &<< Int32(leftShift), m.multiplier), rightShift)
    }

    /// `x × multiplier × 2^shift` rounded as LiteRT's optimized int8 convolution and
    /// fully-connected kernels round it (`TFL_ROUNDING_HALF_UP`): `(x·m + 2^30) >> 31`, then a
    /// right shift by r adding `2^(r−1)` first; both steps round halves up.
    @inline(__always)
    public static func multiplyHalfUp(_ x: Int32, by m: Multiplier) -> Int32 {
        let leftShift = m.shift > 0 ? m.shift : 0
        let rightShift = min(m.shift > 0 ? 0 : -m.shift, 62)
        let high = (Int64(x &<< Int32(leftShift)) * Int64(m.multiplier) + (1 << 30)) >> 31
        return Int32(truncatingIfNeeded: rightShift > 0 ? (high + (Int64(1) << (rightShift - 1))) >> Int64(rightShift) : high)
    }

    /// `x × multiplier × 2^shift` rounded once: `(x·m + 2^(t−1)) >> t` with `t = 31 − shift`
    /// in 64 bits (LiteRT's single-rounding `MultiplyByQuantizedMultiplier`, which its reference
    /// FULLY_CONNECTED and its int16 ADD input rescale use).
    @inline(__always)
    public static func multiplyRoundingOnce(_ x: Int32, by m: Multiplier) -> Int32 {
        let total = Int64(min(max(31 - m.shift, 1), 62))
        return Int32(truncatingIfNeeded: (Int64(x) * Int64(m.multiplier) + (Int64(1) << (total - 1))) >> total)
    }

    /// The 64-bit-input variant LiteRT uses for int16 activations (int64 accumulators):
    /// the multiplier is reduced to 16 bits and applied with one rounding shift.
    @inline(__always)
    package static func multiply(_ x: Int64, by m: Multiplier) -> Int32 {
        let reduced: Int64 = m.multiplier < 0x7FFF_0000 ? (Int64(m.multiplier) + (1 << 15)) >> 16 : 0x7FFF
        let totalShift = 15 - m.shift
        let round = Int64(1) << (totalShift - 1)
        let result = (x &* reduced &+ round) >> Int64(totalShift)
        return Int32(clamping: result)
    }

    /// `MultiplyByQuantizedMultiplierSmallerThanOneExp` (shift ≤ 0).
    @inline(__always)
    package static func multiplySmallerThanOne(_ x: Int32, by m: Multiplier) -> Int32 {
        roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, m.multiplier), -m.shift)
    }

    /// `MultiplyByQuantizedMultiplierGreaterThanOne` (shift ≥ 0).
    @inline(__always)
    package static func multiplyGreaterThanOne(_ x: Int32, by m: Multiplier) -> Int32 {
        saturatingRoundingDoublingHighMul(x &* (Int32(1) &<< Int32(m.shift)), m.multiplier)
    }
}

/// `frexp` as a pair: `value = fraction × 2^exponent`, fraction in [0.5, 1).
@inline(__always)
func frexpPair(_ value: Double) -> (Double, Int) {
    var exponent: Int32 = 0
    let fraction = frexp(value, &exponent)
    return (fraction, Int(exponent))
}
