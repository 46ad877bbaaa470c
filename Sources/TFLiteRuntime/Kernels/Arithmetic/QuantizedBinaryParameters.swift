/// Fixed-point parameters of a quantized binary operator, computed at prepare the way LiteRT's
/// `add.cc`, `sub.cc`, `mul.cc` and `squared_difference.cc` compute them.
struct QuantizedBinaryParameters {
    /// Negated input zero points and the output zero point.
    var inputOffsetA: Int32 = 0
    var inputOffsetB: Int32 = 0
    var outputOffset: Int32 = 0
    var leftShift: Int32 = 0
    var multiplierA = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    var multiplierB = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    var outputMultiplier = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    var activationMin: Int32 = 0
    var activationMax: Int32 = 0
    /// ADD: rescale the inputs rounding once (``FixedPoint/multiplyRoundingOnce(_:by:)``), the
    /// output as gemmlowp does, as LiteRT's optimized int16 ADD of same-shape inputs computes
    /// (checked against LiteRT 2.3 on MobileNetV2's and EfficientNet-Lite0's int16x8 residual
    /// ADDs); everything else, and LiteRT's reference kernels, round gemmlowp's way throughout.
    var roundsInputsOnce = false

    /// ADD and SUB: both inputs are rescaled to twice the larger input scale after a left
    /// shift of 20 bits (15 for int16), summed, then rescaled to the output.
    static func addSub(a: RuntimeTensor, b: RuntimeTensor, output: RuntimeTensor, leftShift: Int32) -> Self {
        var p = Self()
        p.inputOffsetA = -a.zeroPoint
        p.inputOffsetB = -b.zeroPoint
        p.outputOffset = output.zeroPoint
        p.leftShift = leftShift
        let twiceMax = 2 * Double(max(a.scale, b.scale))
        p.multiplierA = FixedPoint.Multiplier(Double(a.scale) / twiceMax)
        p.multiplierB = FixedPoint.Multiplier(Double(b.scale) / twiceMax)
        p.outputMultiplier = FixedPoint.Multiplier(twiceMax / (Double(Int64(1) << Int64(leftShift)) * Double(output.scale)))
        return p
    }

    /// MUL: one multiplier `scaleA × scaleB / scaleOut`.
    static func mul(a: RuntimeTensor, b: RuntimeTensor, output: RuntimeTensor) -> Self {
        var p = Self()
        p.inputOffsetA = -a.zeroPoint
        p.inputOffsetB = -b.zeroPoint
        p.outputOffset = output.zeroPoint
        p.outputMultiplier = FixedPoint.Multiplier(Double(a.scale) * Double(b.scale) / Double(output.scale))
        return p
    }

    /// SQUARED_DIFFERENCE: like ADD with a left shift of 7, the output multiplier squared.
    static func squaredDifference(a: RuntimeTensor, b: RuntimeTensor, output: RuntimeTensor) -> Self {
        var p = Self()
        p.inputOffsetA = -a.zeroPoint
        p.inputOffsetB = -b.zeroPoint
        p.outputOffset = output.zeroPoint
        p.leftShift = 7
        let twiceMax = 2 * Double(max(a.scale, b.scale))
        p.multiplierA = FixedPoint.Multiplier(Double(a.scale) / twiceMax)
        p.multiplierB = FixedPoint.Multiplier(Double(b.scale) / twiceMax)
        p.outputMultiplier = FixedPoint.Multiplier(twiceMax * twiceMax / (Double(1 << 14) * Double(output.scale)))
        return p
    }

    @inline(__always)
    func clamp(_ value: Int32) -> Int32 { min(activationMax, max(activationMin, value)) }

    @inline(__always)
    func add(_ x: Int32, _ y: Int32, negateB: Bool) -> Int32 {
        let shiftedA = (x &+ inputOffsetA) &* (1 &<< leftShift), shiftedB = (y &+ inputOffsetB) &* (1 &<< leftShift)
        let a = roundsInputsOnce ? FixedPoint.multiplyRoundingOnce(shiftedA, by: multiplierA) : FixedPoint.multiply(shiftedA, by: multiplierA)
        let b = roundsInputsOnce ? FixedPoint.multiplyRoundingOnce(shiftedB, by: multiplierB) : FixedPoint.multiply(shiftedB, by: multiplierB)
        let sum = negateB ? a &- b : a &+ b
        return clamp(FixedPoint.multiply(sum, by: outputMultiplier) &+ outputOffset)
    }

    @inline(__always)
    func mul(_ x: Int32, _ y: Int32) -> Int32 {
        let product = (x &+ inputOffsetA) &* (y &+ inputOffsetB)
        return clamp(FixedPoint.multiply(product, by: outputMultiplier) &+ outputOffset)
    }

    @inline(__always)
    func squaredDifference(_ x: Int32, _ y: Int32) -> Int32 {
        let difference = rescaledA(x) &- rescaledB(y)
        return clamp(FixedPoint.multiply(difference &* difference, by: outputMultiplier) &+ outputOffset)
    }

    /// SQUARED_DIFFERENCE's rescaled first input.
    @inline(__always)
    func rescaledA(_ x: Int32) -> Int32 { FixedPoint.multiply((x &+ inputOffsetA) &* (1 &<< leftShift), by: multiplierA) }

    /// SQUARED_DIFFERENCE's rescaled second input.
    @inline(__always)
    func rescaledB(_ y: Int32) -> Int32 { FixedPoint.multiply((y &+ inputOffsetB) &* (1 &<< leftShift), by: multiplierB) }

    /// ``rescaledA(_:)`` for each byte (bit pattern: int8 when `signed`), then ``rescaledB(_:)``: 512 values.
    func rescaledBytes(signed: Bool) -> [Int32] {
        let values = (0..<256).map { signed ? Int32(Int8(truncatingIfNeeded: $0)) : Int32($0) }
        return values.map(rescaledA) + values.map(rescaledB)
    }
}
