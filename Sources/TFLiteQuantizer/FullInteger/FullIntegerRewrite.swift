#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a ``FullIntegerPlan`` into the model through the ``ModelRewriter``: constants stored
/// quantized (``QuantizedValues``), activations typed and given their parameters, QUANTIZE and
/// DEQUANTIZE at the edges between integer and float, requantizations in front of same-scale
/// operators, operator versions as the converter writes them.
///
/// Tensor indices of the input stay valid and keep their meaning for signatures: a float model
/// input or output stays float at its index (with `--io float`) and the integer copy is a new
/// tensor (`<name>_int8`, `<name>_int16`); with integer I/O the input and output tensors change
/// type in place.
struct FullIntegerRewrite {
    let model: Model
    let plan: FullIntegerPlan
    var rewriter: ModelRewriter
    private let subgraphIndex = 0
    /// Operators to insert before (key) / after operator index.
    private var before: [Int: [TableValue]] = [:]
    private var after: [Int: [TableValue]] = [:]
    /// How many tensors and metadata entries use each input buffer.
    private var bufferUses: [UInt32: Int] = [:]
    /// Per float activation of the input: the output tensor holding its integer version.
    private(set) var integerTensors: [Int: Int] = [:]

    init(model: Model, files: AssociatedFiles, plan: FullIntegerPlan) throws(ModelError) {
        self.model = model
        self.plan = plan
        rewriter = try ModelRewriter(model: model, associatedFiles: files)
        for subgraph in model.subgraphs { for tensor in subgraph.tensors { bufferUses[tensor.buffer, default: 0] += 1 } }
        for entry in model.metadata { bufferUses[entry.buffer, default: 0] += 1 }
    }

    private var file: String { model.storage.source }
    private var subgraph: Subgraph { model.subgraphs[subgraphIndex] }
    private var activationType: TensorType { plan.precision.type }

    private func suffix(_ type: TensorType) -> String { "_\(type)" }

    static func quantizationTable(_ parameters: QuantizedParameters) -> TableValue {
        var table = TableValue("QuantizationParameters")
        table.set("scale", .floats(parameters.scales))
        table.set("zero_point", .int64s(parameters.zeroPoints))
        if parameters.isPerChannel { table.set("quantized_dimension", integer: Int32(parameters.axis)) }
        return table
    }

    /// A new tensor like `original` (shape, signature) with `type` and `parameters`.
    private mutating func newTensor(like original: Int, name: String, type: TensorType, parameters: QuantizedParameters?) -> Int32 {
        var table = TableValue("Tensor", source: rewriter.subgraphs[subgraphIndex].tensors[original].source)
        table.set("name", .string(name))
        table.set("type", type == .float32 ? nil : FlatValue.scalar(UInt64(UInt8(bitPattern: type.rawValue)), .int8))
        table.set("buffer", nil)
        table.set("quantization", parameters.map { .table(Self.quantizationTable($0)) })
        table.set("is_variable", nil)
        return rewriter.appendTensor(table, subgraph: subgraphIndex)
    }

    private mutating func retype(_ tensor: Int, type: TensorType, parameters: QuantizedParameters) {
        var table = rewriter.subgraphs[subgraphIndex].tensors[tensor]
        table.set("type", integer: type.rawValue)
        table.set("quantization", .table(Self.quantizationTable(parameters)))
        rewriter.subgraphs[subgraphIndex].tensors[tensor] = table
    }

    private mutating func setInput(op: Int, position: Int, to tensor: Int32) {
        var table = rewriter.subgraphs[subgraphIndex].operators[op]
        var inputs = (try? table.int32s("inputs")) ?? []
        guard inputs.indices.contains(position) else { return }
        inputs[position] = tensor
        table.set("inputs", .int32s(inputs))
        rewriter.subgraphs[subgraphIndex].operators[op] = table
    }

    private mutating func replaceOutput(op: Int, _ old: Int, with tensor: Int32) {
        var table = rewriter.subgraphs[subgraphIndex].operators[op]
        var outputs = (try? table.int32s("outputs")) ?? []
        for position in outputs.indices where outputs[position] == Int32(old) { outputs[position] = tensor }
        table.set("outputs", .int32s(outputs))
        rewriter.subgraphs[subgraphIndex].operators[op] = table
    }

    private mutating func conversionOperator(_ code: BuiltinOperator, version: Int32, from input: Int32, to output: Int32) throws(ModelError) -> TableValue {
        let index = try rewriter.operatorCode(code, version: version)
        var op = TableValue("Operator")
        op.set("opcode_index", integer: index)
        op.set("inputs", .int32s([input]))
        op.set("outputs", .int32s([output]))
        return op
    }

    /// The QUANTIZE version the converter writes: 1 from float to int8, 2 otherwise.
    private func quantizeVersion(from: TensorType, to: TensorType) -> Int32 { from == .float32 && to == .int8 ? 1 : 2 }

    /// The version of a quantized operator as the converter writes it (its int8 and int16x8
    /// models in the quantizer and conformance fixtures); operators not listed keep their version.
    /// LiteRT refuses versions it has not registered, so only versions seen in converter models.
    static func version(of code: BuiltinOperator, precision: ActivationPrecision) -> Int32? {
        (precision == .int8 ? int8Versions : int16Versions)[code]
    }

    private static let int8Versions: [BuiltinOperator: Int32] = [.abs: 2, .add: 2, .averagePool2D: 2, .batchMatmul: 1, .concatenation: 2, .conv2D: 3, .depthwiseConv2D: 3, .depthToSpace: 1, .exp: 2, .expandDims: 1, .fullyConnected: 4, .gather: 1, .gatherNd: 1, .gelu: 2, .hardSwish: 1, .l2Normalization: 1, .leakyRelu: 1, .log: 2, .logistic: 2, .logSoftmax: 2, .maximum: 2, .maxPool2D: 2, .mean: 1, .minimum: 2, .mirrorPad: 2, .mul: 2, .pack: 2, .pad: 2, .padv2: 1, .prelu: 1, .reduceMax: 1, .reduceMin: 1, .relu: 2, .relu6: 2, .reluN1To1: 1, .reshape: 1, .resizeBilinear: 1, .resizeNearestNeighbor: 1, .rsqrt: 2, .select: 1, .selectV2: 1, .slice: 1, .softmax: 2, .spaceToDepth: 1, .split: 2, .splitV: 2, .squaredDifference: 1, .squeeze: 1, .stridedSlice: 2, .sub: 1, .sum: 1, .tanh: 2, .tile: 3, .transpose: 2, .transposeConv: 2, .unpack: 2]

    private static let int16Versions: [BuiltinOperator: Int32] = [.abs: 2, .add: 2, .averagePool2D: 2, .batchMatmul: 2, .concatenation: 2, .conv2D: 3, .depthwiseConv2D: 3, .exp: 2, .expandDims: 1, .fullyConnected: 4, .gather: 2, .gatherNd: 3, .leakyRelu: 2, .log: 2, .logistic: 2, .maximum: 2, .maxPool2D: 2, .mean: 1, .minimum: 2, .mirrorPad: 2, .mul: 2, .pack: 2, .pad: 2, .reduceMax: 1, .reduceMin: 1, .relu: 2, .relu6: 2, .reshape: 1, .resizeBilinear: 1, .resizeNearestNeighbor: 1, .rsqrt: 2, .select: 1, .selectV2: 1, .slice: 2, .softmax: 2, .split: 2, .splitV: 2, .squeeze: 1, .stridedSlice: 2, .sub: 2, .sum: 1, .tanh: 2, .tile: 3, .transpose: 1, .transposeConv: 1, .unpack: 1]

    private func producers() -> [Int: Int] {
        var producer: [Int: Int] = [:]
        for (index, op) in subgraph.operators.enumerated() { for output in op.outputs where output >= 0 { producer[Int(output)] = index } }
        return producer
    }

    mutating func run() throws(ModelError) {
        let producer = producers()
        let modelInputs = Set(subgraph.inputs.map(Int.init))
        let modelOutputs = Set(subgraph.outputs.map(Int.init))
        let conversionOf = Dictionary(plan.conversions.map { ($0.tensor, $0) }, uniquingKeysWith: { first, _ in first })

        // Constants: quantized values in their buffer.
        for (tensor, parameters) in plan.tensors.sorted(by: { $0.key < $1.key }) {
            let info = subgraph.tensors[tensor]
            guard info.buffer != 0, let data = try? model.data(ofBuffer: Int(info.buffer)), !data.isEmpty else { continue }
            let count = data.count / 4
            let values = (0..<count).map { data.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            let narrow = parameters.type == .int8 && parameters.zeroPoints.allSatisfy { $0 == 0 } && subgraph.operators.contains { op in
                guard let code = model.operatorCode(of: op)?.builtinCode else { return false }
                return op.inputs.enumerated().contains { Int($0.element) == tensor && OperatorRules.role(of: code, input: $0.offset) != .data
                    && OperatorRules.role(of: code, input: $0.offset) != .untouched }
            }
            let bytes: Data
            do { bytes = try QuantizedValues.quantize(values, shape: info.shape.map(Int.init), parameters: parameters, narrowRange: narrow) } catch {
                throw ModelError(file: file, field: "subgraphs[0].tensors[\(tensor)]", reason: error.description)
            }
            WeightRewrite.release(data, in: model.storage)
            let content = ModelRewriter.BufferContent.data(count: bytes.count, .owned([UInt8](bytes)))
            let buffer: UInt32
            if bufferUses[info.buffer] == 1 {
                rewriter.buffers[Int(info.buffer)] = content
                buffer = info.buffer
            } else {
                buffer = rewriter.appendBuffer(content)
            }
            var table = rewriter.subgraphs[subgraphIndex].tensors[tensor]
            table.set("buffer", integer: buffer)
            rewriter.subgraphs[subgraphIndex].tensors[tensor] = table
            retype(tensor, type: parameters.type, parameters: parameters)
        }

        // Copies of shared constants for readers that quantize them differently.
        for copy in plan.constantCopies {
            let info = subgraph.tensors[copy.tensor]
            guard let data = try? model.data(ofBuffer: Int(info.buffer)), !data.isEmpty else { continue }
            let values = (0..<data.count / 4).map { data.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            let narrow = copy.parameters.type == .int8 && copy.parameters.zeroPoints.allSatisfy { $0 == 0 }
                && OperatorRules.role(of: model.operatorCode(of: subgraph.operators[copy.reader.operatorIndex])?.builtinCode ?? .custom,
                                      input: copy.reader.position) != .data
            let bytes: Data
            do { bytes = try QuantizedValues.quantize(values, shape: info.shape.map(Int.init), parameters: copy.parameters, narrowRange: narrow) } catch {
                throw ModelError(file: file, field: "subgraphs[0].tensors[\(copy.tensor)]", reason: error.description)
            }
            let buffer = rewriter.appendBuffer(.data(count: bytes.count, .owned([UInt8](bytes))))
            let tensor = newTensor(like: copy.tensor, name: "\(info.name)_\(copy.reader.operatorIndex)", type: copy.parameters.type, parameters: copy.parameters)
            var table = rewriter.subgraphs[subgraphIndex].tensors[Int(tensor)]
            table.set("buffer", integer: buffer)
            rewriter.subgraphs[subgraphIndex].tensors[Int(tensor)] = table
            setInput(op: copy.reader.operatorIndex, position: copy.reader.position, to: tensor)
        }

        // Activations.
        for (tensor, parameters) in plan.tensors.sorted(by: { $0.key < $1.key }) {
            let info = subgraph.tensors[tensor]
            guard info.type == .float32, info.buffer == 0 || ((try? model.data(ofBuffer: Int(info.buffer)))?.isEmpty ?? true) else { continue }
            let name = info.name
            if plan.floatInPlace.contains(tensor) {
                // Float at its index; quantized readers read a QUANTIZE copy.
                if modelInputs.contains(tensor), plan.io == .uint8 {
                    integerTensors[tensor] = Int(try uint8Input(tensor, parameters: parameters))
                    continue
                }
                guard let conversion = conversionOf[tensor], conversion.direction == .quantize else { continue }
                let copy = newTensor(like: tensor, name: name + suffix(parameters.type), type: parameters.type, parameters: parameters)
                integerTensors[tensor] = Int(copy)
                for reader in conversion.readers { setInput(op: reader.operatorIndex, position: reader.position, to: copy) }
                let op = try conversionOperator(.quantize, version: quantizeVersion(from: .float32, to: parameters.type), from: Int32(tensor), to: copy)
                let first = conversion.readers.map(\.operatorIndex).min() ?? 0
                before[first, default: []].append(op)
                continue
            }
            let floatReaders = conversionOf[tensor].map { $0.direction == .dequantize ? $0.readers : [] } ?? []
            if modelInputs.contains(tensor) {
                if plan.io == .uint8 {
                    let inner = try uint8Input(tensor, parameters: parameters, floatReaders: floatReaders)
                    integerTensors[tensor] = Int(inner)
                    try dequantize(inner, like: tensor, for: floatReaders)
                } else {
                    retype(tensor, type: parameters.type, parameters: parameters)
                    integerTensors[tensor] = tensor
                    try dequantize(Int32(tensor), like: tensor, for: floatReaders)
                }
                continue
            }
            if modelOutputs.contains(tensor), plan.io == .uint8, let op = producer[tensor] {
                // int8 inside, uint8 out: QUANTIZE int8 → uint8 at the output's index.
                let inner = newTensor(like: tensor, name: name + suffix(parameters.type), type: parameters.type, parameters: parameters)
                integerTensors[tensor] = Int(inner)
                replaceOutput(op: op, tensor, with: inner)
                for reader in readers(of: tensor) where !floatReaders.contains(reader) {
                    setInput(op: reader.operatorIndex, position: reader.position, to: inner)
                }
                try dequantize(inner, like: tensor, for: floatReaders)
                var shifted = parameters
                shifted.type = .uint8
                shifted.zeroPoints = parameters.zeroPoints.map { $0 + 128 }
                retype(tensor, type: .uint8, parameters: shifted)
                after[op, default: []].append(try conversionOperator(.quantize, version: 2, from: inner, to: Int32(tensor)))
                continue
            }
            if modelOutputs.contains(tensor), plan.io != .float {
                // An integer output: in place; float readers get a DEQUANTIZE.
                retype(tensor, type: parameters.type, parameters: parameters)
                integerTensors[tensor] = tensor
                try dequantize(Int32(tensor), like: tensor, for: floatReaders)
                continue
            }
            if let conversion = conversionOf[tensor], conversion.direction == .dequantize, let op = producer[tensor] {
                // Float at its index (float readers, the model's output); the producer and
                // quantized readers use an integer tensor.
                let inner = newTensor(like: tensor, name: name + suffix(parameters.type), type: parameters.type, parameters: parameters)
                integerTensors[tensor] = Int(inner)
                replaceOutput(op: op, tensor, with: inner)
                let floatReaders = Set(conversion.readers)
                for reader in readers(of: tensor) where !floatReaders.contains(reader) {
                    setInput(op: reader.operatorIndex, position: reader.position, to: inner)
                }
                after[op, default: []].append(try conversionOperator(.dequantize, version: 2, from: inner, to: Int32(tensor)))
                continue
            }
            retype(tensor, type: parameters.type, parameters: parameters)
            integerTensors[tensor] = tensor
        }

        // Requantizations in front of same-scale operators.
        var made: [String: Int32] = [:]
        for requantization in plan.requantizations {
            let key = "\(requantization.tensor) \(requantization.parameters)"
            let source = currentInput(op: requantization.reader.operatorIndex, position: requantization.reader.position) ?? Int32(requantization.tensor)
            let target: Int32
            if let existing = made[key] {
                target = existing
            } else {
                let name = subgraph.tensors[requantization.tensor].name + "_requantized"
                target = newTensor(like: requantization.tensor, name: name, type: requantization.parameters.type, parameters: requantization.parameters)
                made[key] = target
                before[requantization.reader.operatorIndex, default: []].append(
                    try conversionOperator(.quantize, version: 2, from: source, to: target))
            }
            setInput(op: requantization.reader.operatorIndex, position: requantization.reader.position, to: target)
        }

        // Versions of the quantized operators.
        for op in plan.quantizedOperators {
            guard let code = model.operatorCode(of: subgraph.operators[op])?.builtinCode else { continue }
            guard let version = Self.version(of: code, precision: plan.precision) else { continue }
            rewriter.raiseVersion(ofCode: Int(subgraph.operators[op].opcodeIndex), to: version)
        }

        // The operator list with the conversions in place.
        var operators: [TableValue] = []
        for (index, op) in rewriter.subgraphs[subgraphIndex].operators.enumerated() {
            operators += before[index] ?? []
            operators.append(op)
            operators += after[index] ?? []
        }
        rewriter.subgraphs[subgraphIndex].operators = operators
        RuntimeVersion.update(&rewriter)
    }

    /// Float readers of integer tensor `source` (an integer version of `original`): a DEQUANTIZE
    /// into a new float tensor in front of the first of them, which they all read.
    private mutating func dequantize(_ source: Int32, like original: Int, for floatReaders: [FullIntegerPlan.Reader]) throws(ModelError) {
        guard !floatReaders.isEmpty else { return }
        let copy = newTensor(like: original, name: subgraph.tensors[original].name + "_float", type: .float32, parameters: nil)
        for reader in floatReaders { setInput(op: reader.operatorIndex, position: reader.position, to: copy) }
        let first = floatReaders.map(\.operatorIndex).min() ?? 0
        before[first, default: []].append(try conversionOperator(.dequantize, version: 2, from: source, to: copy))
    }

    private func readers(of tensor: Int) -> [FullIntegerPlan.Reader] {
        var result: [FullIntegerPlan.Reader] = []
        for (index, op) in subgraph.operators.enumerated() {
            for (position, input) in op.inputs.enumerated() where Int(input) == tensor {
                result.append(FullIntegerPlan.Reader(operatorIndex: index, position: position))
            }
        }
        return result
    }

    private func currentInput(op: Int, position: Int) -> Int32? {
        let inputs = (try? rewriter.subgraphs[subgraphIndex].operators[op].int32s("inputs")) ?? []
        return inputs.indices.contains(position) ? inputs[position] : nil
    }

    /// A uint8 model input: the input tensor becomes uint8 (zero point + 128) and an int8 copy
    /// made by QUANTIZE feeds the readers.
    @discardableResult
    private mutating func uint8Input(_ tensor: Int, parameters: QuantizedParameters, floatReaders: [FullIntegerPlan.Reader] = []) throws(ModelError) -> Int32 {
        let inner = newTensor(like: tensor, name: subgraph.tensors[tensor].name + suffix(parameters.type), type: parameters.type, parameters: parameters)
        let tensorReaders = readers(of: tensor)
        for reader in tensorReaders where !floatReaders.contains(reader) { setInput(op: reader.operatorIndex, position: reader.position, to: inner) }
        var shifted = parameters
        shifted.type = .uint8
        shifted.zeroPoints = parameters.zeroPoints.map { $0 + 128 }
        retype(tensor, type: .uint8, parameters: shifted)
        let first = tensorReaders.map(\.operatorIndex).min() ?? 0
        before[first, default: []].append(try conversionOperator(.quantize, version: 2, from: Int32(tensor), to: inner))
        return inner
    }
}

/// The operators whose output tensor name or operator name matches one of `patterns` (shell
/// globs), as `--keep-float` selects them.
func keptFloatOperators(_ patterns: [String], in model: Model, subgraph index: Int = 0) -> Set<Int> {
    guard !patterns.isEmpty, model.subgraphs.indices.contains(index) else { return [] }
    let subgraph = model.subgraphs[index]
    var kept = Set<Int>()
    for (opIndex, op) in subgraph.operators.enumerated() {
        var names = [model.operatorCode(of: op)?.name ?? "OP_\(op.opcodeIndex)"]
        for output in op.outputs where output >= 0 && Int(output) < subgraph.tensors.count { names.append(subgraph.tensors[Int(output)].name) }
        if patterns.contains(where: { pattern in names.contains { fnmatch(pattern, $0, 0) == 0 } }) { kept.insert(opIndex) }
    }
    return kept
}
