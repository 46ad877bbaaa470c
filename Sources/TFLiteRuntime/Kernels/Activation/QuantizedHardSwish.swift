/// LiteRT's reference quantized HARD_SWISH: 16-bit fixed point with a "relu-ish" factor in
/// [0, 1] computed from the input rescaled so that 3.0 maps to 32768.
struct QuantizedHardSwish {
    var inputZeroPoint: Int32
    var outputZeroPoint: Int32
    var outputMultiplier: Int16
    var outputExponent: Int
    var reluishMultiplier: Int16
    var reluishExponent: Int

    init(node: Node, inputScale: Float, inputZeroPoint: Int32, outputScale: Float, outputZeroPoint: Int32) throws(InterpreterError) {
        self.inputZeroPoint = inputZeroPoint
        self.outputZeroPoint = outputZeroPoint
        let hiresInputScale = (1.0 as Float / 128.0) * inputScale
        let output = FixedPoint.Multiplier(Double(hiresInputScale / outputScale))
        outputMultiplier = Self.downscale(output.multiplier)
        outputExponent = output.shift
        guard outputExponent <= 0 else {
            throw node.unsupported("HARD_SWISH output scale \(outputScale) is too small for input scale \(inputScale)")
        }
        let reluish = FixedPoint.Multiplier(Double(hiresInputScale / (3.0 / 32768.0)))
        reluishMultiplier = Self.downscale(reluish.multiplier)
        reluishExponent = reluish.shift
    }

    /// LiteRT's `DownScaleInt32ToInt16Multiplier`.
    static func downscale(_ multiplier: Int32) -> Int16 {
        if multiplier >= Int32.max - (1 << 15) { return .max }
        return Int16(truncatingIfNeeded: (multiplier + (1 << 15)) >> 16)
    }

    @inline(__always)
    static func roundingDoublingHighMul(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == .min { return .max }
        let product = Int32(a) * Int32(b)
        let nudge: Int32 = product >= 0 ? (1 << 14) : (1 - (1 << 14))
        return Int16(truncatingIfNeeded: (product + nudge) / (1 << 15))
    }

    @inline(__always)
    static func doublingHighMul(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == .min { return .max }
        return Int16(truncatingIfNeeded: (Int32(a) * Int32(b)) / (1 << 15))
    }

    @inline(__always)
    static func saturatingLeftShift(_ value: Int16, _ amount: Int) -> Int16 {
        Int16(clamping: Int32(value) << Int32(amount))
    }

    @inline(__always)
    static func roundingDivideByPOT(_ x: Int16, _ exponent: Int) -> Int16 {
        Int16(truncatingIfNeeded: FixedPoint.roundingDivideByPOT(Int32(x), exponent))
    }

    /// The output for quantized input `q` (before clamping to the type's range).
    func apply(_ q: Int32) -> Int32 {
        let inputValue = Int16(truncatingIfNeeded: q - inputZeroPoint)
        let hires = Int16(truncatingIfNeeded: Int32(inputValue) * (1 << 7))
        let preshiftOutput = Self.roundingDoublingHighMul(hires, outputMultiplier)
        var reluish = hires
        if reluishExponent > 0 { reluish = Self.saturatingLeftShift(reluish, reluishExponent - 1) }
        reluish = Self.roundingDoublingHighMul(reluish, reluishMultiplier)
        if reluishExponent > 0 { reluish = Self.saturatingLeftShift(reluish, 1) }
        if reluishExponent < 0 { reluish = Self.roundingDivideByPOT(reluish, -reluishExponent) }
        reluish = Int16(truncatingIfNeeded: (Int32(reluish) + (1 << 15)) >> 1)
        let preshift = Self.doublingHighMul(reluish, preshiftOutput)
        let output = Int32(Self.roundingDivideByPOT(preshift, -outputExponent)) + outputZeroPoint
        return output
    }
}
