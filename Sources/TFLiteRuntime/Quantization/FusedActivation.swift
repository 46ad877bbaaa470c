/// A fused activation (`tflite.ActivationFunctionType`) and the output ranges it implies.
package enum FusedActivation: Int8, Sendable {
    case none = 0
    case relu = 1
    case reluN1To1 = 2
    case relu6 = 3
    case tanh = 4
    case signBit = 5

    /// Reads the raw option value, rejecting kinds kernels don't apply as a clamp.
    package init(raw: Int8, node: Node) throws(InterpreterError) {
        guard let value = FusedActivation(rawValue: raw), value != .tanh, value != .signBit else {
            throw node.unsupported("fused activation \(raw)")
        }
        self = value
    }

    /// The float clamp range.
    package var floatRange: (min: Float, max: Float) {
        switch self {
        case .relu: (0, .greatestFiniteMagnitude)
        case .reluN1To1: (-1, 1)
        case .relu6: (0, 6)
        default: (-.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        }
    }

    /// LiteRT's `CalculateActivationRangeQuantized`: the clamp range in the output's quantized
    /// domain, intersected with the type's range `[qmin, qmax]`.
    package func quantizedRange(scale: Float, zeroPoint: Int32, qmin: Int32, qmax: Int32) -> (min: Int32, max: Int32) {
        func quantize(_ value: Float) -> Int32 {
            let transformed = (value / scale).rounded(.toNearestOrAwayFromZero)
            guard transformed.isFinite else { return transformed > 0 ? qmax : qmin }
            // A tiny scale puts the bound past any integer: clamp before converting, and add
            // the zero point without overflow (LiteRT's cast is undefined there).
            let bounded = Int64(min(max(transformed, -4_294_967_296), 4_294_967_296))
            return Int32(clamping: Int64(zeroPoint) + bounded)
        }
        switch self {
        case .relu: return (max(qmin, quantize(0)), qmax)
        case .relu6: return (max(qmin, quantize(0)), min(qmax, quantize(6)))
        case .reluN1To1: return (max(qmin, quantize(-1)), min(qmax, quantize(1)))
        default: return (qmin, qmax)
        }
    }
}
