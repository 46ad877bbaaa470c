import TFLiteModel

/// A tensor's quantized representation: storage type, scales and zero points (one each per
/// tensor, or one per channel along `axis`).
package struct QuantizedParameters: Equatable, Sendable, CustomStringConvertible {
    public var type: TensorType
    public var scales: [Float]
    public var zeroPoints: [Int64]
    /// The quantized dimension (per-channel parameters); 0 for per-tensor.
    public var axis: Int

    public init(type: TensorType, scales: [Float], zeroPoints: [Int64], axis: Int = 0) {
        self.type = type
        self.scales = scales
        self.zeroPoints = zeroPoints
        self.axis = axis
    }

    /// Per-tensor parameters.
    public init(type: TensorType, scale: Float, zeroPoint: Int64) {
        self.init(type: type, scales: [scale], zeroPoints: [zeroPoint])
    }

    public var scale: Float { scales.first ?? 0 }
    public var zeroPoint: Int64 { zeroPoints.first ?? 0 }
    public var isPerChannel: Bool { scales.count > 1 }

    public var description: String {
        if isPerChannel { return "\(type) \(scales.count) scales along axis \(axis)" }
        return "\(type) scale \(scale) zero point \(zeroPoint)"
    }

    // MARK: Ranges to parameters, as the TensorFlow Lite converter computes them

    /// Ranges narrower than this are widened to it, straddling 0 (the converter's
    /// `kNearZeroTolerance`): a constant-zero tensor gets a usable scale.
    static let nearZeroTolerance = 1.0e-6

    /// The range the converter quantizes for a calibrated `[min, max]`: widened to contain 0, and
    /// to at least ``nearZeroTolerance`` when narrower.
    static func effectiveRange(min: Double, max: Double) -> (min: Double, max: Double) {
        var low = Swift.min(min, 0)
        var high = Swift.max(max, 0)
        if high - low <= nearZeroTolerance {
            low = Swift.min(low, -nearZeroTolerance / 2)
            high = Swift.max(high, nearZeroTolerance / 2)
        }
        return (low, high)
    }

    /// Asymmetric int8 (or uint8) parameters for an activation range: scale (max − min) / 255
    /// computed in float32, zero point `qmin − min / scale` rounded and clamped to the type, so
    /// 0.0 is exactly representable.
    public static func asymmetric(_ range: TensorRange, type: TensorType = .int8) -> QuantizedParameters {
        let (low, high) = effectiveRange(min: Double(range.min), max: Double(range.max))
        let (qmin, qmax): (Float, Float) = type == .uint8 ? (0, 255) : (-128, 127)
        let scale = (Float(high) - Float(low)) / (qmax - qmin)
        guard scale.isFinite, scale > 0 else { return QuantizedParameters(type: type, scale: 1, zeroPoint: Int64(qmin)) }
        let fromMin = qmin - Float(low) / scale
        let zeroPoint: Float = fromMin < qmin ? qmin : fromMin > qmax ? qmax : fromMin.rounded(.toNearestOrAwayFromZero)
        return QuantizedParameters(type: type, scale: scale, zeroPoint: Int64(zeroPoint))
    }

    /// Symmetric int16 parameters for an activation range: zero point 0, scale max(|min|, |max|)
    /// / 32767.
    public static func symmetric16(_ range: TensorRange) -> QuantizedParameters {
        let (low, high) = effectiveRange(min: Double(range.min), max: Double(range.max))
        let bound = Swift.max(Float(abs(low)), Float(abs(high)))
        guard bound.isFinite, bound > 0 else { return QuantizedParameters(type: .int16, scale: 1, zeroPoint: 0) }
        return QuantizedParameters(type: .int16, scale: bound / 32767, zeroPoint: 0)
    }

    /// The activation parameters of `precision` for `range`.
    static func activation(_ range: TensorRange, precision: ActivationPrecision) -> QuantizedParameters {
        switch precision {
        case .int8: asymmetric(range)
        case .int16: symmetric16(range)
        }
    }

    /// Symmetric int8 weights in the narrow range [−127, 127], zero points 0: one scale per
    /// index of `axis` (nil: one for the whole tensor), max |w| / 127 of that slice, the slice's
    /// range widened as ``effectiveRange(min:max:)`` does.
    public static func symmetricWeights(_ values: [Float], shape: [Int], axis: Int?) -> QuantizedParameters {
        let channels = axis.map { shape.indices.contains($0) ? shape[$0] : 1 } ?? 1
        let inner = axis.map { shape.indices.contains($0) ? shape[($0 + 1)...].reduce(1, *) : 1 } ?? 1
        var low = [Double](repeating: 0, count: Swift.max(channels, 1))
        var high = [Double](repeating: 0, count: Swift.max(channels, 1))
        for (index, value) in values.enumerated() {
            let channel = channels > 1 ? (index / inner) % channels : 0
            low[channel] = Swift.min(low[channel], Double(value))
            high[channel] = Swift.max(high[channel], Double(value))
        }
        var scales: [Float] = []
        for channel in low.indices {
            let bound = Swift.max(abs(low[channel]), abs(high[channel]))
            let (widenedLow, widenedHigh) = effectiveRange(min: -bound, max: bound)
            scales.append((Float(widenedHigh) - Float(widenedLow)) / 254)
        }
        return QuantizedParameters(type: .int8, scales: scales, zeroPoints: Array(repeating: 0, count: scales.count), axis: axis ?? 0)
    }

    /// Bias parameters: int32 (int64 where `wide`), zero point 0, scale input scale × weight
    /// scale per channel, rounded to float32.
    public static func bias(inputScale: Float, weights: QuantizedParameters, wide: Bool) -> QuantizedParameters {
        let scales = weights.scales.map { Float(Double(inputScale) * Double($0)) }
        return QuantizedParameters(type: wide ? .int64 : .int32, scales: scales, zeroPoints: Array(repeating: 0, count: scales.count))
    }
}

/// The activation precision of a full-integer mode.
package enum ActivationPrecision: Sendable, Equatable {
    /// int8 activations (asymmetric), `--mode int8`.
    case int8
    /// int16 activations (symmetric), int8 weights, `--mode int16x8`.
    case int16

    /// The activations' storage type.
    public var type: TensorType { self == .int8 ? .int8 : .int16 }
}
