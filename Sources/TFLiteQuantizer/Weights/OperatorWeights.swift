import TFLiteModel

/// Which inputs of an operator are weights the quantizer may store in fewer bits, along which
/// dimension they are quantized per channel, and what the operator's version becomes when it
/// computes on them directly (hybrid: float activations, int8 weights).
///
/// Facts follow LiteRT's operator versioning (`GetBuiltinOperatorVersion`); full-integer modes
/// extend this table with activation and bias rules.
package struct OperatorWeights: Sendable {
    /// The operator.
    package let code: BuiltinOperator
    /// The weight input's position.
    public let weightInput: Int
    /// Further weight inputs quantized the same way (an LSTM's eight gate matrices and its
    /// projection); all of them or none, since the hybrid kernel takes one weight type.
    public let moreWeightInputs: [Int]
    /// The bias input's position, when the operator has one.
    public let biasInput: Int?
    /// The weight's per-channel dimension (nil: quantized per tensor).
    public let channelAxis: Int?
    /// The options table holding `asymmetric_quantize_inputs`, when the hybrid kernel has it.
    public let asymmetricOptions: String?
    /// Whether the operator then gives int8 results (with the weight's scale) that a
    /// `DEQUANTIZE` after it turns back into float (`GATHER` of an int8 table), rather than
    /// computing hybrid. Dynamic-range mode only, as the converter does.
    public let quantizedOutput: Bool

    /// The facts of one operator (see the properties).
    package init(code: BuiltinOperator, weightInput: Int, moreWeightInputs: [Int] = [], biasInput: Int?, channelAxis: Int?,
                asymmetricOptions: String?, quantizedOutput: Bool = false) {
        self.code = code
        self.weightInput = weightInput
        self.moreWeightInputs = moreWeightInputs
        self.biasInput = biasInput
        self.channelAxis = channelAxis
        self.asymmetricOptions = asymmetricOptions
        self.quantizedOutput = quantizedOutput
    }

    /// The operators whose weights the converter quantizes in dynamic-range mode (and
    /// weight-only mode stores as int8 behind a `DEQUANTIZE`).
    package static let hybrid: [BuiltinOperator: OperatorWeights] = [
        .conv2D: OperatorWeights(code: .conv2D, weightInput: 1, biasInput: 2, channelAxis: 0, asymmetricOptions: nil),
        .depthwiseConv2D: OperatorWeights(code: .depthwiseConv2D, weightInput: 1, biasInput: 2, channelAxis: 3, asymmetricOptions: nil),
        .fullyConnected: OperatorWeights(code: .fullyConnected, weightInput: 1, biasInput: 2, channelAxis: 0,
                                         asymmetricOptions: "FullyConnectedOptions"),
        .batchMatmul: OperatorWeights(code: .batchMatmul, weightInput: 1, biasInput: nil, channelAxis: nil,
                                      asymmetricOptions: "BatchMatMulOptions"),
        .embeddingLookup: OperatorWeights(code: .embeddingLookup, weightInput: 1, biasInput: nil, channelAxis: nil, asymmetricOptions: nil),
        .gather: OperatorWeights(code: .gather, weightInput: 0, biasInput: nil, channelAxis: nil, asymmetricOptions: nil,
                                 quantizedOutput: true),
        // Input-to-gate weights 1-4, recurrent weights 5-8, projection 16: per tensor, as the
        // converter stores them (the interpreter has the hybrid LSTM).
        .unidirectionalSequenceLstm: OperatorWeights(code: .unidirectionalSequenceLstm, weightInput: 1,
                                                     moreWeightInputs: [2, 3, 4, 5, 6, 7, 8, 16], biasInput: nil,
                                                     channelAxis: nil, asymmetricOptions: "UnidirectionalSequenceLSTMOptions"),
    ]

    /// Every weight input's position.
    public var weightInputs: [Int] { [weightInput] + moreWeightInputs }

    /// The operator version LiteRT requires for the hybrid form (float input, int8 weight,
    /// float output), given whether the weight is per channel and inputs are quantized
    /// asymmetrically.
    public func hybridVersion(perChannel: Bool, asymmetric: Bool) -> Int32 {
        switch code {
        case .conv2D: perChannel ? 5 : 2
        case .depthwiseConv2D: perChannel ? 6 : 4
        case .fullyConnected: perChannel ? 12 : (asymmetric ? 9 : 3)
        case .batchMatmul: asymmetric ? 4 : 1
        case .embeddingLookup: perChannel ? 4 : 1
        case .gather: 2  // int8 values
        case .unidirectionalSequenceLstm: asymmetric ? 3 : 2
        default: 1
        }
    }

    /// The `DEQUANTIZE` version for an input of `type` (per channel or not).
    public static func dequantizeVersion(input type: TensorType, perChannel: Bool) -> Int32 {
        switch type {
        case .int4: 6
        case .float16, .int16: 3
        case .int8: perChannel ? 5 : 2
        default: 1
        }
    }
}
