import TFLiteModel

/// Why a full-integer plan could not be made: one line naming the model and what is wrong.
package struct FullIntegerError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Decides a full-integer model (``FullIntegerPlan``) from a float model and the calibrated
/// ranges of its activations, by the rules of LiteRT's integer kernels and the TensorFlow Lite
/// converter:
///
/// - **int8** (the converter's MLIR quantizer): every activation starts from its own calibrated
///   range; an operator that only moves values (``OperatorRules/sameScale``) with one data operand
///   passes its operand's parameters forward to its results; one with several (concatenation)
///   keeps its result's range and passes it backward to its operands, through chains of such
///   operators; fixed-output operators (SOFTMAX, LOGISTIC, TANH, …) get LiteRT's parameters.
/// - **int16x8** (the converter's int16 quantizer): single-operand movers pass their operand's
///   parameters forward; multi-operand ones keep their result's range and requantize operands
///   whose parameters differ.
/// - Weights: symmetric int8 per channel (CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV along
///   axis 0, DEPTHWISE_CONV_2D along axis 3); biases int32 (int64 for int16x8 convolutions and
///   fully connected) at input scale × weight scale.
/// - LiteRT's prepare-time limits: a bias that would not fit its type nudges its channel's
///   weight scale; a fused activation bound that would not fit int32 widens the output scale.
///   Both are reported in ``FullIntegerPlan/adjustments``.
package struct FullIntegerPlanner {
    private let model: Model
    private let subgraph: Subgraph
    private let source: String
    private let precision: ActivationPrecision
    private let ranges: TensorRanges
    private var codes: [BuiltinOperator?] = []
    private var producer: [Int: Int] = [:]
    private var readers: [Int: [FullIntegerPlan.Reader]] = [:]
    private var quantized: [Bool] = []
    private var plan: FullIntegerPlan

    /// The plan for subgraph `subgraphIndex` of `model` (`source` names it in errors and notes),
    /// from `ranges` (``Calibrator``); operators in `keepFloat` stay float (`keepReasons` says
    /// why, `--keep-float` by default).
    public static func plan(model: Model, subgraph subgraphIndex: Int = 0, ranges: TensorRanges, precision: ActivationPrecision,
                            io: IOType = .float, keepFloat: Set<Int> = [], keepReasons: [Int: String] = [:],
                            source: String) throws(FullIntegerError) -> FullIntegerPlan {
        guard model.subgraphs.indices.contains(subgraphIndex) else {
            throw FullIntegerError("\(source): the model has no subgraph \(subgraphIndex)")
        }
        switch (io, precision) {
        case (.uint8, .int16), (.int8, .int16): throw FullIntegerError("--io \(io.rawValue): int16x8 models take float or int16 inputs and outputs")
        case (.int16, .int8): throw FullIntegerError("--io int16: int8 models take float, int8 or uint8 inputs and outputs")
        default: break
        }
        var planner = FullIntegerPlanner(model: model, subgraph: model.subgraphs[subgraphIndex], source: source,
                                         precision: precision, ranges: ranges, plan: FullIntegerPlan(precision: precision, io: io))
        try planner.indexGraph()
        planner.chooseOperators(keepFloat: keepFloat, reasons: keepReasons)
        planner.planActivations()
        try planner.planConstants()
        planner.checkFusedActivationBounds()
        planner.planRequantizations()
        planner.planEdges()
        return planner.plan
    }

    // MARK: The graph

    private var tensors: [ModelTensor] { subgraph.tensors }

    private func constantData(_ tensor: Int) -> UnsafeRawBufferPointer? {
        let buffer = Int(tensors[tensor].buffer)
        guard buffer != 0, let data = try? model.data(ofBuffer: buffer), !data.isEmpty else { return nil }
        return data
    }

    /// A float32 tensor computed at run time (or a model input).
    private func isFloatActivation(_ tensor: Int) -> Bool {
        tensor >= 0 && tensor < tensors.count && tensors[tensor].type == .float32 && constantData(tensor) == nil
    }

    /// The values of a float32 constant; nil when the tensor is not one or its bytes do not fit
    /// its shape. The mapped file's pages of the constant are let go once read (the rewrite
    /// reads them again, one weight at a time), so planning never holds every weight.
    private func floatValues(_ tensor: Int) -> [Float]? {
        guard tensors.indices.contains(tensor), tensors[tensor].type == .float32, let data = constantData(tensor),
              let count = tensors[tensor].elementCount, data.count == count * 4 else { return nil }
        let values = (0..<count).map { data.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        if let base = data.baseAddress { model.storage.releasePages(base, byteCount: data.count) }
        return values
    }

    private func inputs(_ op: Int) -> [Int] { subgraph.operators[op].inputs.map(Int.init) }
    private func outputs(_ op: Int) -> [Int] { subgraph.operators[op].outputs.map(Int.init).filter { $0 >= 0 } }

    private mutating func indexGraph() throws(FullIntegerError) {
        for (index, op) in subgraph.operators.enumerated() {
            codes.append(model.operatorCodes[safe: Int(op.opcodeIndex)].map(\.builtinCode))
            for tensor in op.inputs.map(Int.init) + op.outputs.map(Int.init) where tensor >= tensors.count {
                throw FullIntegerError("\(source): operator \(index) names tensor \(tensor), which does not exist")
            }
            for output in outputs(index) { producer[output] = index }
            for (position, input) in inputs(index).enumerated() where input >= 0 {
                readers[input, default: []].append(FullIntegerPlan.Reader(operatorIndex: index, position: position))
            }
        }
    }

    /// The operator's data inputs as quantized (activations and constant operands), by position.
    private func dataPositions(_ op: Int) -> [Int] {
        guard let code = codes[op] else { return [] }
        return inputs(op).indices.filter { position in
            let input = inputs(op)[position]
            guard input >= 0, tensors[input].type == .float32 else { return false }
            switch OperatorRules.role(of: code, input: position) {
            case .data: return true
            case .weights: return constantData(input) == nil  // non-constant weights are activations
            case .bias, .untouched: return false
            }
        }
    }

    private func name(_ op: Int) -> String { codes[op]?.name ?? "custom" }

    // MARK: Which operators become integer

    private mutating func chooseOperators(keepFloat: Set<Int>, reasons: [Int: String]) {
        quantized = Array(repeating: false, count: subgraph.operators.count)
        for op in subgraph.operators.indices {
            let floatTensors = (inputs(op) + outputs(op)).filter { $0 >= 0 && tensors[$0].type == .float32 }
            guard !floatTensors.isEmpty else { continue }  // integer-only operators stay as they are
            guard let code = codes[op] else {
                plan.floatOperators[op] = "custom operator"
                continue
            }
            if keepFloat.contains(op) {
                plan.floatOperators[op] = reasons[op] ?? "--keep-float"
            } else if !OperatorRules.hasKernel(code, precision: precision) {
                plan.floatOperators[op] = "LiteRT has no \(precision == .int8 ? "int8" : "int16x8") kernel for \(code.name)"
            } else if let missing = (dataPositions(op).map { inputs(op)[$0] } + outputs(op)).first(where: { isFloatActivation($0) && ranges[$0] == nil }) {
                plan.floatOperators[op] = "no calibrated range for tensor \(missing) (\(DisplayText.quoted(tensors[missing].name)))"
            } else if outputs(op).contains(where: { tensors[$0].type != .float32 && tensors[$0].type != .int32 && tensors[$0].type != .bool && tensors[$0].type != .int64 }) {
                plan.floatOperators[op] = "an output type the quantizer does not handle"
            } else {
                quantized[op] = true
                plan.quantizedOperators.append(op)
            }
        }
    }

    private func isSameScale(_ op: Int) -> Bool { codes[op].map { OperatorRules.sameScale[$0] != nil } ?? false }

    /// The float activations among a same-scale operator's data operands.
    private func sameScaleOperands(_ op: Int) -> [Int] {
        guard let code = codes[op], let positions = OperatorRules.sameScaleOperands(of: code, inputCount: inputs(op).count) else { return [] }
        return positions.map { inputs(op)[$0] }.filter { isFloatActivation($0) }
    }

    private func floatOutputs(_ op: Int) -> [Int] { outputs(op).filter { isFloatActivation($0) } }

    // MARK: Activations

    /// Float activations read (as data) or written by quantized operators.
    private func touchedActivations() -> [Int] {
        var seen = Set<Int>()
        var order: [Int] = []
        func add(_ tensor: Int) { if isFloatActivation(tensor), seen.insert(tensor).inserted { order.append(tensor) } }
        for input in subgraph.inputs.map(Int.init) where readers[input]?.contains(where: { quantized[$0.operatorIndex] && dataPositions($0.operatorIndex).contains($0.position) }) == true {
            add(input)
        }
        for op in plan.quantizedOperators {
            for position in dataPositions(op) { add(inputs(op)[position]) }
            for output in outputs(op) { add(output) }
        }
        return order
    }

    private func own(_ tensor: Int) -> QuantizedParameters {
        let range = ranges[tensor] ?? TensorRange(min: 0, max: 0)
        return QuantizedParameters.activation(range, precision: precision)
    }

    private mutating func planActivations() {
        let touched = touchedActivations()
        var params: [Int: QuantizedParameters] = [:]
        var fixed = Set<Int>()
        for op in plan.quantizedOperators {
            guard let code = codes[op], let parameters = OperatorRules.fixedOutput(of: code, precision: precision) else { continue }
            for output in floatOutputs(op) {
                params[output] = parameters
                fixed.insert(output)
            }
        }
        switch precision {
        case .int8:
            // The MLIR quantizer's redundant statistics: results of single-operand movers take
            // their operand's parameters (forward); operands of multi-operand movers take the
            // result's (backward, through chains of movers).
            var redundant = fixed
            for op in plan.quantizedOperators where isSameScale(op) && sameScaleOperands(op).count == 1 {
                redundant.formUnion(floatOutputs(op))
            }
            var worklist = touched.filter { !redundant.contains($0) }
            var visited = Set<Int>()
            while let tensor = worklist.popLast() {
                guard let op = producer[tensor], quantized[op], isSameScale(op) else { continue }
                for operand in sameScaleOperands(op) where visited.insert(operand).inserted {
                    redundant.insert(operand)
                    worklist.append(operand)
                }
            }
            for tensor in touched where !redundant.contains(tensor) { params[tensor] = own(tensor) }
            var changed = true
            while changed {
                changed = false
                for op in plan.quantizedOperators where isSameScale(op) {
                    let operands = sameScaleOperands(op)
                    let results = floatOutputs(op)
                    if let shared = results.lazy.compactMap({ params[$0] }).first {
                        for operand in operands where params[operand] == nil { params[operand] = shared; changed = true }
                    }
                    if let shared = operands.lazy.compactMap({ params[$0] }).first {
                        for result in results where params[result] == nil { params[result] = shared; changed = true }
                    }
                }
            }
            for tensor in touched where params[tensor] == nil { params[tensor] = own(tensor) }
        case .int16:
            for tensor in touched where producer[tensor].map({ !quantized[$0] }) ?? true { params[tensor] = own(tensor) }
            for op in plan.quantizedOperators {
                let operands = sameScaleOperands(op)
                for output in floatOutputs(op) where params[output] == nil {
                    if isSameScale(op), operands.count == 1, let shared = params[operands[0]] {
                        params[output] = shared
                    } else {
                        params[output] = own(output)
                    }
                }
            }
        }
        for (tensor, parameters) in params { plan.tensors[tensor] = parameters }
    }

    // MARK: Constants

    private mutating func planConstants() throws(FullIntegerError) {
        for op in plan.quantizedOperators {
            guard let code = codes[op] else { continue }
            for (position, input) in inputs(op).enumerated() where input >= 0 && constantData(input) != nil && tensors[input].type == .float32 {
                guard let values = floatValues(input) else {
                    throw FullIntegerError("\(source): tensor \(input) (\(DisplayText.quoted(tensors[input].name))): its buffer does not hold its shape's float32 values")
                }
                guard values.allSatisfy(\.isFinite) else {
                    throw FullIntegerError("\(source): tensor \(input) (\(DisplayText.quoted(tensors[input].name))) holds NaN or infinity: it cannot be quantized")
                }
                let shape = tensors[input].shape.map(Int.init)
                let parameters: QuantizedParameters
                switch OperatorRules.role(of: code, input: position) {
                case .weights(let axis):
                    parameters = QuantizedParameters.symmetricWeights(values, shape: shape, axis: axis)
                case .bias(let inputPosition, let weightsPosition):
                    parameters = biasParameters(op: op, bias: input, values: values, input: inputPosition, weights: weightsPosition, code: code)
                case .data:
                    if isSameScale(op), let shared = floatOutputs(op).first.flatMap({ plan.tensors[$0] }) {
                        parameters = shared
                    } else {
                        let range = TensorRange(min: values.min() ?? 0, max: values.max() ?? 0)
                        parameters = QuantizedParameters.activation(range, precision: precision)
                    }
                case .untouched:
                    continue
                }
                if let existing = plan.tensors[input], existing != parameters {
                    // Shared by operators that quantize it differently: this reader gets a copy.
                    plan.constantCopies.append(FullIntegerPlan.Requantization(reader: FullIntegerPlan.Reader(operatorIndex: op, position: position),
                                                                             tensor: input, parameters: parameters))
                    continue
                }
                plan.tensors[input] = parameters
            }
        }
    }

    /// Bias parameters at input scale × weight scale; a channel whose bias would need more than
    /// half the int32 range gets its weight scale raised so it fits (the converter's int16
    /// quantizer does the same), which changes the weights' parameters too.
    private mutating func biasParameters(op: Int, bias: Int, values: [Float], input inputPosition: Int, weights weightsPosition: Int,
                                         code: BuiltinOperator) -> QuantizedParameters {
        let wide = precision == .int16 && OperatorRules.wideBias.contains(code)
        let inputTensor = inputs(op)[safe: inputPosition] ?? -1
        let weightsTensor = inputs(op)[safe: weightsPosition] ?? -1
        let inputScale = plan.tensors[inputTensor]?.scale ?? 1
        guard var weights = plan.tensors[weightsTensor] ?? (floatValues(weightsTensor).map {
            QuantizedParameters.symmetricWeights($0, shape: tensors[weightsTensor].shape.map(Int.init), axis: nil)
        }) else {
            return QuantizedParameters.bias(inputScale: inputScale, weights: QuantizedParameters(type: .int8, scale: 1, zeroPoint: 0), wide: wide)
        }
        let limit = Double(Int32.max) / 2
        var nudged: [Int] = []
        for (channel, value) in values.enumerated() where weights.scales.count == values.count || (weights.scales.count == 1 && channel == 0) {
            let scaleIndex = weights.scales.count == 1 ? 0 : channel
            let bound = weights.scales.count == 1 ? Double(values.map { abs($0) }.max() ?? 0) : Double(abs(value))
            let biasScale = Double(inputScale) * Double(weights.scales[scaleIndex])
            if biasScale > 0, bound / biasScale > limit {
                weights.scales[scaleIndex] = Float(bound / (Double(inputScale) * limit))
                nudged.append(scaleIndex)
            }
        }
        if !nudged.isEmpty {
            plan.tensors[weightsTensor] = weights
            plan.adjustments.append("operator \(op) (\(name(op))): weight scale of channel\(nudged.count == 1 ? "" : "s") \(nudged.map(String.init).joined(separator: ", ")) raised so the bias fits \(wide ? "int64 kernels' int32 range" : "int32")")
        }
        return QuantizedParameters.bias(inputScale: inputScale, weights: weights, wide: wide)
    }

    // MARK: LiteRT's prepare-time limits

    /// The operator's fused activation (raw `ActivationFunctionType`), 0 when it has none.
    private func fusedActivation(_ op: Int) -> Int8 {
        let operatorTable = subgraph.operators[op]
        func read<T: OperatorOptions>(_ type: T.Type, _ field: (T) -> Int8) -> Int8 {
            guard operatorTable.builtinOptionsType == T.unionType, let options = try? T(operatorTable.builtinOptions) else { return 0 }
            return field(options)
        }
        switch codes[op] {
        case .conv2D: return read(Conv2DOptions.self) { $0.fusedActivationFunction }
        case .depthwiseConv2D: return read(DepthwiseConv2DOptions.self) { $0.fusedActivationFunction }
        case .fullyConnected: return read(FullyConnectedOptions.self) { $0.fusedActivationFunction }
        case .averagePool2D, .maxPool2D: return read(Pool2DOptions.self) { $0.fusedActivationFunction }
        case .add: return read(AddOptions.self) { $0.fusedActivationFunction }
        case .sub: return read(SubOptions.self) { $0.fusedActivationFunction }
        case .mul: return read(MulOptions.self) { $0.fusedActivationFunction }
        case .concatenation: return read(ConcatenationOptions.self) { $0.fusedActivationFunction }
        case .transposeConv: return read(TransposeConvOptions.self) { $0.fusedActivationFunction }
        default: return 0
        }
    }

    /// LiteRT quantizes a fused activation's bounds with the output's parameters at prepare time
    /// and refuses the model when `round(bound / scale)` leaves int32
    /// (`no_integer_overflow_from_quantization`): such an output's scale is raised until it fits.
    private mutating func checkFusedActivationBounds() {
        for op in plan.quantizedOperators {
            let bounds = OperatorRules.fusedActivationBounds(fusedActivation(op))
            guard let largest = bounds.map(abs).max(), largest > 0 else { continue }
            for output in floatOutputs(op) {
                guard var parameters = plan.tensors[output], parameters.scale > 0 else { continue }
                let room = Double(Int32.max) - Double(abs(parameters.zeroPoint)) - 1
                guard Double(largest) / Double(parameters.scale) > room else { continue }
                let scale = Float(Double(largest) / room) * (1 + 1e-6)
                plan.adjustments.append("operator \(op) (\(name(op))): output \(DisplayText.quoted(tensors[output].name)) scale \(parameters.scale) raised to \(scale) so LiteRT can quantize its fused activation's bound (no_integer_overflow_from_quantization)")
                parameters.scales = [scale]
                plan.tensors[output] = parameters
            }
        }
    }

    // MARK: Requantization and edges

    /// Operands of same-scale operators whose parameters differ from the result's get a
    /// requantizing QUANTIZE (LiteRT's kernels copy raw values).
    private mutating func planRequantizations() {
        for op in plan.quantizedOperators where isSameScale(op) {
            guard let code = codes[op], let result = floatOutputs(op).first, let shared = plan.tensors[result] else { continue }
            for position in OperatorRules.sameScaleOperands(of: code, inputCount: inputs(op).count) ?? [] {
                let operand = inputs(op)[position]
                guard isFloatActivation(operand), let parameters = plan.tensors[operand], parameters != shared else { continue }
                plan.requantizations.append(FullIntegerPlan.Requantization(reader: FullIntegerPlan.Reader(operatorIndex: op, position: position),
                                                                          tensor: operand, parameters: shared))
            }
        }
    }

    /// Where integer and float meet: tensors produced in float (or float model inputs) that
    /// quantized operators read get a QUANTIZE; integer tensors that float operators or float
    /// model outputs read get a DEQUANTIZE.
    private mutating func planEdges() {
        let modelInputs = Set(subgraph.inputs.map(Int.init))
        let modelOutputs = Set(subgraph.outputs.map(Int.init))
        let activations = plan.tensors.keys.filter { isFloatActivation($0) }.sorted()
        for tensor in activations {
            let integerInPlace: Bool = if modelInputs.contains(tensor) {
                plan.io != .float
            } else if let op = producer[tensor] {
                quantized[op]
            } else {
                false
            }
            let tensorReaders = readers[tensor] ?? []
            if integerInPlace {
                let floatReaders = tensorReaders.filter { !quantized[$0.operatorIndex] }
                let feedsOutput = modelOutputs.contains(tensor) && plan.io == .float
                if !floatReaders.isEmpty || feedsOutput {
                    plan.conversions.append(.init(tensor: tensor, direction: .dequantize, readers: floatReaders, feedsModelOutput: feedsOutput))
                }
            } else {
                plan.floatInPlace.insert(tensor)
                let integerReaders = tensorReaders.filter { quantized[$0.operatorIndex] && dataPositions($0.operatorIndex).contains($0.position) }
                if !integerReaders.isEmpty {
                    plan.conversions.append(.init(tensor: tensor, direction: .quantize, readers: integerReaders, feedsModelOutput: false))
                }
            }
        }
    }
}

fileprivate extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
