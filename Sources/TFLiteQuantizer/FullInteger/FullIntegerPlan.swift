import TFLiteModel

/// How a full-integer model's inputs and outputs are typed (`--io`).
public enum IOType: String, CaseIterable, Sendable {
    /// Float inputs and outputs, with QUANTIZE and DEQUANTIZE at the edges (the converter's
    /// default).
    case float
    /// Inputs and outputs in the activations' type (int8, or int16 in `int16x8`).
    case int8
    /// uint8 inputs and outputs (zero points shifted by 128), int8 inside (`int8` mode only).
    case uint8
    /// int16 inputs and outputs (`int16x8` mode only).
    case int16
}

/// What a full-integer model is made of, decided before anything is written: the parameters of
/// every tensor that becomes integer, the operators that stay float, the conversions at the
/// edges between the two, and the adjustments made so LiteRT accepts the result.
package struct FullIntegerPlan: Sendable {
    /// A QUANTIZE or DEQUANTIZE to add: a copy of `tensor` in the other domain, read by `readers`
    /// (operator index, input position) and, when `feedsModelOutput`, made the model's output in
    /// the tensor's place.
    public struct Conversion: Equatable, Sendable {
        public enum Direction: Equatable, Sendable {
            /// float → integer, before quantized readers of a float tensor.
            case quantize
            /// integer → float, after a quantized tensor for float readers or a float output.
            case dequantize
        }
        public var tensor: Int
        public var direction: Direction
        public var readers: [Reader]
        public var feedsModelOutput: Bool
    }

    /// One input of one operator.
    public struct Reader: Hashable, Sendable {
        public var operatorIndex: Int
        public var position: Int
    }

    /// A QUANTIZE from integer to integer (a requantization) in front of input `reader` of an
    /// operator whose operands must share its parameters (LiteRT's kernels copy raw values).
    public struct Requantization: Equatable, Sendable {
        public var reader: Reader
        public var tensor: Int
        public var parameters: QuantizedParameters
    }

    /// The activation precision.
    public var precision: ActivationPrecision
    /// The I/O type.
    public var io: IOType
    /// Integer parameters of every tensor that becomes integer (activations, weights, biases,
    /// constant operands), by tensor index. Activations listed in ``floatInPlace`` keep their
    /// float type and get a quantized copy.
    public var tensors: [Int: QuantizedParameters] = [:]
    /// Activations that keep their float type (model inputs with float I/O, outputs of float
    /// operators) although quantized operators read them: each gets a QUANTIZE.
    public var floatInPlace: Set<Int> = []
    /// Operators quantized, in execution order.
    public var quantizedOperators: [Int] = []
    /// Operators left in float, with the reason (`--keep-float`, no integer kernel in LiteRT,
    /// no calibrated range).
    public var floatOperators: [Int: String] = [:]
    /// QUANTIZE/DEQUANTIZE to add at the edges.
    public var conversions: [Conversion] = []
    /// Requantizations in front of same-scale operators.
    public var requantizations: [Requantization] = []
    /// Constants read by several operators that need them quantized differently (a bias shared
    /// by convolutions with different input scales): the reader gets its own quantized copy.
    public var constantCopies: [Requantization] = []
    /// What was changed so LiteRT accepts the model (nudged scales), one line each.
    public var adjustments: [String] = []
}
