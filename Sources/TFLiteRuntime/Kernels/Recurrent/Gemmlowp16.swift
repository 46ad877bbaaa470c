/// gemmlowp's fixed-point sigmoid and tanh on 16-bit raw values, as LiteRT's integer LSTM
/// applies them to its gates (`ApplySigmoid`, `ApplyTanh`). A value with `n` integer bits is an
/// `Int16` holding `real × 2^(15 − n)`; sums wrap and products saturate as gemmlowp's 16-bit
/// `FixedPoint` does, and its 32-bit constants are rounded to 16 bits (a rounding shift by 16).
enum Gemmlowp16 {
    /// gemmlowp's 32-bit constant as a 16-bit raw value.
    @inline(__always)
    static func constant(_ value: Int32) -> Int16 { Int16(truncatingIfNeeded: FixedPoint.roundingDivideByPOT(value, 16)) }

    @inline(__always)
    static func mul(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == .min { return .max }
        let product = Int32(a) * Int32(b)
        let nudge: Int32 = product >= 0 ? (1 << 14) : (1 - (1 << 14))
        return Int16(truncatingIfNeeded: (product + nudge) / (1 << 15))
    }

    @inline(__always)
    static func roundingDivideByPOT(_ x: Int16, _ exponent: Int) -> Int16 {
        Int16(truncatingIfNeeded: FixedPoint.roundingDivideByPOT(Int32(x), exponent))
    }

    /// `x × 2^exponent`, rounding (negative exponents) or saturating (positive ones).
    @inline(__always)
    static func multiplyByPOT(_ x: Int16, _ exponent: Int) -> Int16 {
        if exponent == 0 { return x }
        if exponent < 0 { return roundingDivideByPOT(x, -exponent) }
        let threshold = Int16((1 << (15 - exponent)) - 1)
        if x > threshold { return .max }
        if x < -threshold { return .min }
        return x << Int16(exponent)
    }

    @inline(__always)
    static func roundingHalfSum(_ a: Int16, _ b: Int16) -> Int16 {
        let sum = Int32(a) + Int32(b)
        return Int16(truncatingIfNeeded: (sum + (sum >= 0 ? 1 : -1)) / 2)
    }

    /// exp(a) for a in [-1/4, 0), 0 integer bits in and out.
    static func expOnIntervalBetweenNegativeOneQuarterAnd0Excl(_ a: Int16) -> Int16 {
        let constantTerm = constant(1_895_147_668)
        let oneThird = constant(715_827_883)
        let x = a &+ (1 << 12)
        let x2 = mul(x, x)
        let x3 = mul(x2, x)
        let x4 = mul(x2, x2)
        let x4Over4 = multiplyByPOT(x4, -2)
        let poly = multiplyByPOT(mul(x4Over4 &+ x3, oneThird) &+ x2, -1)
        // 16-bit values saturate this last sum (gemmlowp's AddSaturatingIf16Bit).
        return Int16(clamping: Int32(constantTerm) + Int32(mul(constantTerm, x &+ poly)))
    }

    /// exp(a) for a ≤ 0 with `integerBits` integer bits; the result has 0 integer bits.
    static func expOnNegativeValues(_ a: Int16, integerBits: Int) -> Int16 {
        let fractionalBits = 15 - integerBits
        let oneQuarter = Int16(truncatingIfNeeded: 1 << (fractionalBits - 2))
        let mask = oneQuarter &- 1
        let aModQuarterMinusOneQuarter = (a & mask) &- oneQuarter
        var result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(multiplyByPOT(aModQuarterMinusOneQuarter, integerBits))
        let remainder = aModQuarterMinusOneQuarter &- a
        let barrel: [(Int, Int32)] = [(-2, 1_672_461_947), (-1, 1_302_514_674), (0, 790_015_084), (1, 290_630_308),
                                      (2, 39_332_535), (3, 720_401), (4, 242)]
        for (exponent, multiplier) in barrel where integerBits > exponent {
            let shift = fractionalBits + exponent
            if Int32(remainder) & (Int32(1) << Int32(shift)) != 0 { result = mul(result, constant(multiplier)) }
        }
        if integerBits > 5 {
            let clamp = constant(-(Int32(1) << Int32(36 - integerBits)))
            if a < clamp { result = 0 }
        }
        if a == 0 { result = .max }
        return result
    }

    /// The Newton–Raphson reciprocal of `1 + a`'s half (2 integer bits), shared by both functions.
    private static func reciprocalOfHalfDenominator(_ halfDenominator: Int16) -> Int16 {
        var x = constant(1_515_870_810) &+ mul(halfDenominator, constant(-1_010_580_540))
        let one: Int16 = 1 << 13  // 1 with 2 integer bits
        for _ in 0..<3 {
            let oneMinus = one &- mul(halfDenominator, x)
            x = x &+ multiplyByPOT(mul(x, oneMinus), 2)
        }
        return x
    }

    /// 1 / (1 + a) for a in [0, 1), 0 integer bits in and out.
    static func oneOverOnePlusXForXIn01(_ a: Int16) -> Int16 {
        let x = reciprocalOfHalfDenominator(roundingHalfSum(a, .max))
        return multiplyByPOT(x, 1)  // x/2 with 1 integer bit, rescaled to 0
    }

    /// (1 − a) / (1 + a) for a in [0, 1), 0 integer bits in and out.
    static func oneMinusXOverOnePlusXForXIn01(_ a: Int16) -> Int16 {
        let x = reciprocalOfHalfDenominator(roundingHalfSum(a, .max))
        return multiplyByPOT(x &- (1 << 13), 2)
    }

    /// gemmlowp's `logistic` of a value with `integerBits` integer bits (0 integer bits out).
    static func logistic(_ a: Int16, integerBits: Int) -> Int16 {
        if a == 0 { return 1 << 14 }
        let absolute = a > 0 ? a : 0 &- a
        let positive = oneOverOnePlusXForXIn01(expOnNegativeValues(0 &- absolute, integerBits: integerBits))
        return a > 0 ? positive : Int16.max &- positive
    }

    /// gemmlowp's `tanh` of a value with `integerBits` integer bits (0 integer bits out).
    static func tanh(_ a: Int16, integerBits: Int) -> Int16 {
        if a == 0 { return 0 }
        let negative = a < 0 ? a : 0 &- a
        // gemmlowp's ExactMulByPot<1>: the same raw value read with one more integer bit (2a).
        let t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(negative, integerBits: integerBits + 1))
        return a < 0 ? 0 &- t : t
    }
}
