import TFLiteModel

/// The elementwise binary operators sharing ``ElementwiseBinaryKernel``.
enum BinaryOperation: Sendable {
    case add, sub, mul, div, squaredDifference, maximum, minimum

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
