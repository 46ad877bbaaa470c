import TFLiteModel

/// The elementwise binary operators sharing ``ElementwiseBinaryKernel``.
enum BinaryOperation: Sendable {
    case add, sub, mul, div, squaredDifference, maximum, minimum

    /// Whether the options table carries `fused_activation_function` (field 0).
    var hasFusedActivation: Bool {
        switch self {
        case .add, .sub, .mul, .div: true
        default: false
        }
    }

    /// Whether the options carry `pot_scale_int16` (field 1).
    var hasPotScaleInt16: Bool { self == .add || self == .sub }

    /// Element types LiteRT implements for this operator.
    var supportedTypes: Set<TensorType> {
        switch self {
        case .add, .sub, .mul: [.float32, .int32, .int64, .int8, .uint8, .int16]
        case .div: [.float32, .int32]
        case .squaredDifference: [.float32, .int32, .int8]
        case .maximum, .minimum: [.float32, .int32, .int64, .int8, .uint8, .int16]
        }
    }

    /// Whether quantized inputs are rescaled (otherwise raw values are compared).
    var rescalesQuantized: Bool { self != .maximum && self != .minimum }
}
