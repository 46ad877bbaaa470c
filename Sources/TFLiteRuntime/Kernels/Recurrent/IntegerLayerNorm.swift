/// The integer layer normalization of one LSTM gate, as LiteRT's full-integer LSTM applies it
/// to the int16 gate sums before their activation (`ApplyLayerNorm`).
///
/// Per batch row of `width` values: the mean ×1024 and the variance in integers (the variance
/// is Σv²·⌊2^20 / width⌋ − mean², divided by 2^20 and truncated, so it is exact only for
/// power-of-two widths, as in LiteRT; below 1 it becomes `varianceGuard`); each value
/// `1024·v − mean` times the inverse square root of the variance (a gemmlowp multiplier), times
/// the int16 coefficient plus the int32 bias (both in 32-bit arithmetic, wrapping), divided by
/// 1024 rounding half away from zero, then rescaled by the coefficients' scale × 2^12 into
/// Q3.12 and saturated to int16.
struct IntegerLayerNorm {
    let coefficients: UnsafePointer<Int16>
    /// The gate's int32 bias, quantized at the coefficients' scale / 1024.
    let bias: [Int32]
    /// The coefficients' scale as a multiplier, its shift raised by 12 (Q3.12 output).
    let scale: FixedPoint.Multiplier
    /// LiteRT's variance floor: max(1, ⌊10000 × coefficient scale⌋).
    let varianceGuard: Int32

    init(coefficients: UnsafePointer<Int16>, coefficientScale: Float, bias: [Int32]) {
        self.coefficients = coefficients
        self.bias = bias
        var scale = FixedPoint.Multiplier(Double(coefficientScale))
        scale.shift += 12
        self.scale = scale
        let guardValue = 10000 * coefficientScale
        varianceGuard = max(1, guardValue < 2_147_483_520 ? Int32(guardValue) : .max)
    }

    /// Normalizes `batches` rows of `width` values of `gate` in place.
    func apply(_ gate: UnsafeMutablePointer<Int16>, batches: Int, width: Int) {
        let twoToThe20: Int64 = 1 << 20
        for b in 0..<batches {
            let row = gate + b * width
            var sum: Int64 = 0
            var squares: Int64 = 0
            for j in 0..<width {
                let value = Int64(row[j])
                sum += value
                squares += value * value
            }
            let mean = Int32(truncatingIfNeeded: sum * 1024 / Int64(width))
            let perWidth = twoToThe20 / Int64(width)
            let variance = squares &* perWidth &- Int64(mean) * Int64(mean)
            var truncated = Int32(truncatingIfNeeded: variance / twoToThe20)
            if truncated < 1 { truncated = varianceGuard }
            let inverse = Gemmlowp.inverseSqrtMultiplier(truncated)
            for j in 0..<width {
                let shifted = 1024 &* Int32(row[j]) &- mean
                let rescaled = FixedPoint.multiply(shifted, by: inverse)
                let weighted = Int64(rescaled &* Int32(coefficients[j]) &+ bias[j])
                let divided = Int32(truncatingIfNeeded: (weighted > 0 ? weighted + 512 : weighted - 512) / 1024)
                row[j] = Int16(clamping: FixedPoint.multiply(divided, by: scale))
            }
        }
    }
}
