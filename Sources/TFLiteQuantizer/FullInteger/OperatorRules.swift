import TFLiteModel

/// What LiteRT's integer kernels and the TensorFlow Lite converter require of each operator in
/// a full-integer model: which inputs are weights (and along which axis they are quantized per
/// channel) or biases, which operators copy values so their operands and results must share
/// parameters, which outputs have fixed parameters, and which operators have int8 and int16
/// kernels at all.
enum OperatorRules {
    /// How an operator input is quantized.
    enum InputRole: Equatable {
        /// An activation (or a constant operand quantized like one, by its values' range).
        case data
        /// Weights: symmetric int8, per channel along `axis` (nil: per tensor).
        case weights(axis: Int?)
        /// A bias: int32/int64 at input scale × the weights' scales; `input` and `weights` are the
        /// operator's input positions it depends on.
        case bias(input: Int, weights: Int)
        /// Left as it is (shapes, indices, axes: integer tensors).
        case untouched
    }

    /// The role of input `position` of an operator `code`.
    static func role(of code: BuiltinOperator, input position: Int) -> InputRole {
        switch (code, position) {
        case (.conv2D, 1), (.fullyConnected, 1): .weights(axis: 0)
        case (.depthwiseConv2D, 1): .weights(axis: 3)
        case (.transposeConv, 1): .weights(axis: 0)
        case (.conv2D, 2), (.depthwiseConv2D, 2), (.fullyConnected, 2): .bias(input: 0, weights: 1)
        case (.transposeConv, 3): .bias(input: 2, weights: 1)
        case (.transposeConv, 0): .untouched
        default: .data
        }
    }

    /// Operators whose int16x8 bias is int64 (LiteRT's int16 kernels take int64 biases).
    static let wideBias: Set<BuiltinOperator> = [.conv2D, .depthwiseConv2D, .fullyConnected, .transposeConv]

    /// Operators that move values without arithmetic (or pick among them), so every data
    /// operand and the results share one set of parameters; the value is the data operands'
    /// positions (nil: all inputs).
    static let sameScale: [BuiltinOperator: [Int]?] = [
        .averagePool2D: [0], .maxPool2D: [0], .reshape: [0], .squeeze: [0], .expandDims: [0], .transpose: [0],
        .concatenation: nil, .pack: nil, .unpack: [0], .split: [1], .splitV: [0], .slice: [0], .stridedSlice: [0],
        .gather: [0], .gatherNd: [0], .pad: [0], .padv2: [0, 2], .mirrorPad: [0], .tile: [0], .broadcastTo: [0],
        .depthToSpace: [0], .spaceToDepth: [0], .batchToSpaceNd: [0], .spaceToBatchNd: [0], .reverseV2: [0],
        .maximum: [0, 1], .minimum: [0, 1], .select: [1, 2], .selectV2: [1, 2], .reduceMax: [0], .reduceMin: [0],
        .resizeBilinear: [0], .resizeNearestNeighbor: [0],
    ]

    /// The data operand positions of same-scale operator `code` with `inputCount` inputs.
    static func sameScaleOperands(of code: BuiltinOperator, inputCount: Int) -> [Int]? {
        guard let entry = sameScale[code] else { return nil }
        return (entry ?? Array(0..<inputCount)).filter { $0 < inputCount }
    }

    /// The output parameters LiteRT's kernels require, whatever the calibrated range.
    static func fixedOutput(of code: BuiltinOperator, precision: ActivationPrecision) -> QuantizedParameters? {
        switch (code, precision) {
        case (.softmax, .int8), (.logistic, .int8): QuantizedParameters(type: .int8, scale: 1.0 / 256, zeroPoint: -128)
        case (.tanh, .int8): QuantizedParameters(type: .int8, scale: 1.0 / 128, zeroPoint: 0)
        case (.logSoftmax, .int8): QuantizedParameters(type: .int8, scale: 16.0 / 256, zeroPoint: 127)
        case (.l2Normalization, .int8): QuantizedParameters(type: .int8, scale: 1.0 / 128, zeroPoint: 0)
        case (.softmax, .int16), (.logistic, .int16), (.tanh, .int16): QuantizedParameters(type: .int16, scale: 1.0 / 32768, zeroPoint: 0)
        default: nil
        }
    }

    /// Operators LiteRT 2.3 runs with int8 activations (the conformance catalogue's int8 cases).
    static let int8Kernels: Set<BuiltinOperator> = [
        .abs, .add, .argMax, .argMin, .averagePool2D, .batchMatmul, .concatenation, .conv2D, .depthwiseConv2D,
        .depthToSpace, .equal, .exp, .expandDims, .fullyConnected, .gather, .gatherNd, .gelu, .greater, .greaterEqual,
        .hardSwish, .l2Normalization, .leakyRelu, .less, .lessEqual, .log, .logistic, .logSoftmax, .maximum, .maxPool2D,
        .mean, .minimum, .mirrorPad, .mul, .notEqual, .pack, .pad, .padv2, .prelu, .reduceMax, .reduceMin, .relu, .relu6,
        .reluN1To1, .reshape, .resizeBilinear, .resizeNearestNeighbor, .rsqrt, .select, .selectV2, .slice, .softmax,
        .spaceToDepth, .split, .splitV, .squaredDifference, .squeeze, .stridedSlice, .sub, .sum, .tanh, .tile, .transpose,
        .transposeConv, .unpack, .batchToSpaceNd, .spaceToBatchNd,
    ]

    /// Operators LiteRT 2.3 runs with int16 activations and int8 weights (the conformance
    /// catalogue's int16x8 cases); the others stay float in `--mode int16x8`.
    static let int16Kernels: Set<BuiltinOperator> = [
        .abs, .add, .averagePool2D, .batchMatmul, .concatenation, .conv2D, .depthwiseConv2D, .exp, .expandDims,
        .fullyConnected, .gather, .gatherNd, .leakyRelu, .log, .logistic, .maximum, .maxPool2D, .mean, .minimum,
        .mirrorPad, .mul, .pack, .pad, .reduceMax, .reduceMin, .relu, .relu6, .reshape, .resizeBilinear,
        .resizeNearestNeighbor, .rsqrt, .select, .selectV2, .slice, .softmax, .split, .splitV, .squeeze,
        .stridedSlice, .sub, .sum, .tanh, .tile, .transpose, .transposeConv, .unpack,
    ]

    /// Whether LiteRT has a kernel for `code` at `precision`.
    static func hasKernel(_ code: BuiltinOperator, precision: ActivationPrecision) -> Bool {
        precision == .int8 ? int8Kernels.contains(code) : int16Kernels.contains(code)
    }

    /// Fused activations whose quantized bound LiteRT computes at prepare time
    /// (`round(bound / scale) + zero point` must fit int32), by the options' raw value.
    static func fusedActivationBounds(_ raw: Int8) -> [Float] {
        switch raw {
        case 1: [0]           // RELU
        case 2: [-1, 1]       // RELU_N1_TO_1
        case 3: [0, 6]        // RELU6
        default: []
        }
    }
}
