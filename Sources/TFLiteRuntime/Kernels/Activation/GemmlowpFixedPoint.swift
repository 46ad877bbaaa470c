/// The pieces of gemmlowp's fixed-point library LiteRT's integer activations use. A value with
/// `n` integer bits is an `Int32` holding `real × 2^(31 − n)`.
enum Gemmlowp {
    /// `x × 2^exponent` with rounding (negative exponents) or saturation (positive ones).
    @inline(__always)
    static func saturatingRoundingMultiplyByPOT(_ x: Int32, _ exponent: Int) -> Int32 {
        if exponent == 0 { return x }
        if exponent < 0 { return FixedPoint.roundingDivideByPOT(x, -exponent) }
        let threshold = Int32.max >> Int32(exponent)
        if x > threshold { return .max }
        if x < -threshold { return .min }
        return x << Int32(exponent)
    }

    /// Product of two fixed-point values (integer bits add up).
    @inline(__always)
    static func mul(_ a: Int32, _ b: Int32) -> Int32 { FixedPoint.saturatingRoundingDoublingHighMul(a, b) }

    /// Changes the number of integer bits from `from` to `to`.
    @inline(__always)
    static func rescale(_ x: Int32, from: Int, to: Int) -> Int32 { saturatingRoundingMultiplyByPOT(x, from - to) }

    /// LiteRT's `GetInvSqrtQuantizedMultiplierExp` with `reverse_shift = -1`: 1/sqrt(input) as a
    /// multiplier and a left shift, by five Newton-Raphson steps.
    static func inverseSqrtMultiplier(_ value: Int32) -> FixedPoint.Multiplier {
        var input = value
        if input <= 1 { return FixedPoint.Multiplier(multiplier: .max, shift: 0) }
        var shift = 11
        while input >= (1 << 29) {
            input /= 4
            shift += 1
        }
        let maxLeftShiftBits = UInt32(input).leadingZeroBitCount - 1
        let leftShiftBitPairs = maxLeftShiftBits / 2 - 1
        shift -= leftShiftBitPairs
        input <<= Int32(2 * leftShiftBitPairs)
        let fixedInput = input >> 1  // 3 integer bits
        let halfInput = saturatingRoundingMultiplyByPOT(fixedInput, -1)
        let halfThree: Int32 = (1 << 28) + (1 << 27)
        var x: Int32 = 1 << 28
        for _ in 0..<5 {
            let x3 = rescale(mul(mul(x, x), x), from: 9, to: 3)
            x = rescale(mul(halfThree, x) &- mul(halfInput, x3), from: 6, to: 3)
        }
        let halfSqrt2: Int32 = 1_518_500_250
        var result = mul(x, halfSqrt2)
        if shift < 0 {
            result <<= Int32(-shift)
            shift = 0
        }
        return FixedPoint.Multiplier(multiplier: result, shift: -shift)
    }
}

extension Gemmlowp {
    /// exp(a) for a in [-1/4, 0) with 0 integer bits (a Taylor expansion around -1/8).
    static func expOnIntervalBetweenNegativeOneQuarterAnd0Excl(_ a: Int32) -> Int32 {
        let constantTerm: Int32 = 1_895_147_668
        let oneThird: Int32 = 715_827_883
        let x = a &+ (1 << 28)
        let x2 = mul(x, x)
        let x3 = mul(x2, x)
        let x4 = mul(x2, x2)
        let x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2)
        let poly = saturatingRoundingMultiplyByPOT(mul(x4Over4 &+ x3, oneThird) &+ x2, -1)
        return constantTerm &+ mul(constantTerm, x &+ poly)
    }

    /// exp(a) for a ≤ 0 given with `integerBits` integer bits; the result has 0 integer bits.
    static func expOnNegativeValues(_ a: Int32, integerBits: Int) -> Int32 {
        let fractionalBits = 31 - integerBits
        let oneQuarter: Int32 = 1 << Int32(fractionalBits - 2)
        let mask = oneQuarter - 1
        let aModQuarterMinusOneQuarter = (a & mask) &- oneQuarter
        var result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, from: integerBits, to: 0))
        let remainder = aModQuarterMinusOneQuarter &- a
        let barrel: [(Int, Int32)] = [(-2, 1_672_461_947), (-1, 1_302_514_674), (0, 790_015_084), (1, 290_630_308),
                                      (2, 39_332_535), (3, 720_401), (4, 242)]
        for (exponent, multiplier) in barrel where integerBits > exponent {
            let shift = fractionalBits + exponent
            if remainder & (Int32(1) << Int32(shift)) != 0 { result = mul(result, multiplier) }
        }
        if integerBits > 5 {
            let clamp = -(Int32(1) << Int32(36 - integerBits))
            if a < clamp { result = 0 }
        }
        if a == 0 { result = .max }
        return result
    }

    /// 1 / (1 + a) for a in [0, 1), 0 integer bits in and out (Newton-Raphson).
    static func oneOverOnePlusXForXIn01(_ a: Int32) -> Int32 {
        let sum = Int64(a) + Int64(Int32.max)
        let halfDenominator = Int32(truncatingIfNeeded: (sum + (sum >= 0 ? 1 : -1)) / 2)
        let c48Over17: Int32 = 1_515_870_810
        let cNeg32Over17: Int32 = -1_010_580_540
        var x = c48Over17 &+ mul(halfDenominator, cNeg32Over17)  // 2 integer bits
        for _ in 0..<3 {
            let halfDenominatorTimesX = mul(halfDenominator, x)
            let oneMinus = (Int32(1) << 29) &- halfDenominatorTimesX
            x = x &+ rescale(mul(x, oneMinus), from: 4, to: 2)
        }
        return rescale(x, from: 1, to: 0)  // x reinterpreted with 1 integer bit (halved), back to 0
    }

    /// LiteRT's `GetReciprocal`: 1/x for x with `integerDigits` integer bits, as a 0-integer-bit
    /// value and the number of bits it must still be shifted right.
    static func reciprocal(_ x: Int32, integerDigits: Int) -> (Int32, Int) {
        let headroomPlusOne = UInt32(bitPattern: x).leadingZeroBitCount
        let bitsOverUnit = integerDigits - headroomPlusOne
        let shiftedSumMinusOne = Int32(bitPattern: (UInt32(bitPattern: x) << UInt32(headroomPlusOne)) &- (UInt32(1) << 31))
        return (oneOverOnePlusXForXIn01(shiftedSumMinusOne), bitsOverUnit)
    }
}

extension Gemmlowp {
    /// LiteRT's `SaturatingRoundingMultiplyByPOTParam` (a saturating left shift by `exponent ≥ 0`).
    @inline(__always)
    static func saturatingShiftLeft(_ x: Int32, _ exponent: Int) -> Int32 {
        if exponent <= 0 { return x }
        let threshold = Int32(truncatingIfNeeded: (Int64(1) << Int64(31 - exponent)) - 1)
        if x > threshold { return .max }
        if x < -threshold { return .min }
        return Int32(truncatingIfNeeded: Int64(x) << Int64(exponent))
    }

    @inline(__always)
    static func saturatingAdd(_ a: Int32, _ b: Int32) -> Int32 { Int32(clamping: Int64(a) + Int64(b)) }

    @inline(__always)
    static func saturatingSub(_ a: Int32, _ b: Int32) -> Int32 { Int32(clamping: Int64(a) - Int64(b)) }

    @inline(__always)
    static func roundingHalfSum(_ a: Int32, _ b: Int32) -> Int32 {
        let sum = Int64(a) + Int64(b)
        return Int32(truncatingIfNeeded: (sum + (sum >= 0 ? 1 : -1)) / 2)
    }

    /// LiteRT's `log_x_for_x_greater_than_or_equal_to_1`: log(x) for x with `inputIntegerBits`
    /// integer bits, as a value with `outputIntegerBits` integer bits.
    static func logXForXGreaterThanOrEqualTo1(_ input: Int32, inputIntegerBits: Int, outputIntegerBits: Int) -> Int32 {
        let accumulatorBits = outputIntegerBits + 1
        let log2: Int32 = 1_488_522_236
        let sqrtSqrtHalf: Int32 = 1_805_811_301
        let sqrtHalf: Int32 = 1_518_500_250
        let oneQuarter: Int32 = 536_870_912
        let alphaN: Int32 = 117_049_297
        let alphaD: Int32 = 127_690_142
        let alphaI: Int32 = 1_057_819_769
        let alphaF: Int32 = 638_450_708
        let shiftedQuarter = rescale(oneQuarter, from: 0, to: accumulatorBits)

        let zA = input
        let zAHeadroomPlus1 = UInt32(bitPattern: zA).leadingZeroBitCount
        let rATemp = saturatingShiftLeft(zA, zAHeadroomPlus1 - 1)
        let rARaw = saturatingShiftLeft(mul(rATemp, sqrtHalf), 1)
        let zAPow2Adjusted = saturatingAdd(
            saturatingShiftLeft(Int32(inputIntegerBits - zAHeadroomPlus1), 31 - accumulatorBits), shiftedQuarter)
        let zB = mul(zA, sqrtHalf)
        let zBHeadroom = UInt32(bitPattern: zB).leadingZeroBitCount - 1
        let rBRaw = saturatingShiftLeft(zA, zBHeadroom)
        let zBPow2Adjusted = saturatingSub(
            saturatingShiftLeft(Int32(inputIntegerBits - zBHeadroom), 31 - accumulatorBits), shiftedQuarter)

        let r = min(rARaw, rBRaw)
        let zPow2Adjusted = max(zAPow2Adjusted, zBPow2Adjusted)
        let p = roundingHalfSum(r, sqrtSqrtHalf)
        var q = r &- sqrtSqrtHalf
        q = q &+ q
        let commonSquare = mul(q, q)
        let numerator = mul(q, r) &+ mul(mul(q, commonSquare), alphaN)
        let denominatorMinusOne = mul(p, alphaI &+ q &+ mul(alphaD, commonSquare)) &+ mul(alphaF, q)
        let reciprocalDenominator = oneOverOnePlusXForXIn01(denominatorMinusOne)
        let numeratorScaled = rescale(numerator, from: 0, to: accumulatorBits)
        return rescale(mul(zPow2Adjusted, log2) &+ mul(numeratorScaled, reciprocalDenominator),
                       from: accumulatorBits, to: outputIntegerBits)
    }
}
