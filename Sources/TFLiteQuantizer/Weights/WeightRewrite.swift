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

/// The modes that change only how weights are stored, as the TensorFlow Lite converter lays
/// them out:
///
/// - `float16`: every float32 constant an operator reads becomes a float16 constant behind a
///   `DEQUANTIZE` (placed first in the subgraph), whatever its size; the model gets the
///   converter's `reduced_precision_support` entry.
/// - `dynamic`: weights of hybrid operators (``OperatorWeights/hybrid``) with at least
///   `minElements` elements become symmetric int8 in place (per channel where the converter
///   quantizes per channel), the operators' versions and `asymmetric_quantize_inputs` set as the
///   converter sets them; biases stay float.
/// - `weight-int8`: the same weights as int8 behind a `DEQUANTIZE`; compute stays float.
///
/// Tensor indices of the input stay valid: converted constants keep their index and name; the
/// float tensors `DEQUANTIZE` makes are appended (named `<weight>/dequantize`).
struct WeightRewrite {
    let model: Model
    let mode: QuantizationMode
    let options: QuantizationOptions
    var rewriter: ModelRewriter
    private(set) var quantized: [String] = []
    private(set) var kept: [QuantizationSummary.Kept] = []
    /// Operator codes given a new version (for `min_runtime_version`).
    /// Input buffers whose tensors now use a new buffer.
    private var replacedBuffers: Set<UInt32> = []
    /// How many tensors and metadata entries use each input buffer.
    private let bufferUses: [UInt32: Int]

    init(model: Model, files: AssociatedFiles, mode: QuantizationMode, options: QuantizationOptions) throws(ModelError) {
        self.model = model
        self.mode = mode
        self.options = options
        rewriter = try ModelRewriter(model: model, associatedFiles: files)
        var uses: [UInt32: Int] = [:]
        for subgraph in model.subgraphs { for tensor in subgraph.tensors { uses[tensor.buffer, default: 0] += 1 } }
        for entry in model.metadata { uses[entry.buffer, default: 0] += 1 }
        bufferUses = uses
    }

    /// Stores `content` for a tensor that used input buffer `old`: in place when nothing else
    /// uses it (buffer order stays the converter's), else in a new buffer.
    private mutating func store(_ content: ModelRewriter.BufferContent, replacing old: UInt32) -> UInt32 {
        if old != 0, bufferUses[old] == 1, Int(old) < rewriter.buffers.count {
            rewriter.buffers[Int(old)] = content
            return old
        }
        replacedBuffers.insert(old)
        return rewriter.appendBuffer(content)
    }

    private var file: String { model.storage.source }

    mutating func run() throws(ModelError) {
        for index in model.subgraphs.indices { try rewrite(subgraph: index) }
        // Buffers no tensor uses any more are emptied (their index stays valid).
        var used = Set<UInt32>()
        for subgraph in rewriter.subgraphs {
            for tensor in subgraph.tensors { used.insert((try? tensor.integer("buffer", default: UInt32(0))) ?? 0) }
        }
        for entry in model.metadata { used.insert(entry.buffer) }
        for buffer in replacedBuffers.sorted() where !used.contains(buffer) && Int(buffer) < rewriter.buffers.count {
            rewriter.buffers[Int(buffer)] = .empty
        }
        guard !quantized.isEmpty else { return }
        if mode == .float16, model.metadataEntry(named: "reduced_precision_support") == nil {
            rewriter.setMetadataBuffer(named: "reduced_precision_support", bytes: Array("fp16accfp32".utf8))
        }
        RuntimeVersion.update(&rewriter)
    }

    // MARK: One subgraph

    private func operatorName(_ op: Operator) -> String {
        model.operatorCode(of: op)?.name ?? "OP_\(op.opcodeIndex)"
    }

    private func builtin(_ op: Operator) -> BuiltinOperator? {
        model.operatorCode(of: op)?.builtinCode
    }

    private func isKeptFloat(_ op: Operator, in subgraph: Subgraph) -> Bool {
        guard !options.keepFloat.isEmpty else { return false }
        var names = [operatorName(op)]
        for output in op.outputs where output >= 0 && Int(output) < subgraph.tensors.count {
            names.append(subgraph.tensors[Int(output)].name)
        }
        return options.keepFloat.contains { pattern in names.contains { fnmatch(pattern, $0, 0) == 0 } }
    }

    private mutating func rewrite(subgraph index: Int) throws(ModelError) {
        let subgraph = model.subgraphs[index]
        var uses: [Int: [(op: Int, position: Int)]] = [:]
        for (opIndex, op) in subgraph.operators.enumerated() {
            for (position, input) in op.inputs.enumerated() where input >= 0 && Int(input) < subgraph.tensors.count {
                uses[Int(input), default: []].append((opIndex, position))
            }
        }
        // Candidates in order of first use (then index): the order DEQUANTIZE operators take.
        let candidates = uses.keys.sorted { (uses[$0]?.first?.op ?? 0, $0) < (uses[$1]?.first?.op ?? 0, $1) }
        var dequantizers: [TableValue] = []
        var after: [Int: [TableValue]] = [:]
        for tensorIndex in candidates {
            let tensor = subgraph.tensors[tensorIndex]
            guard tensor.type == .float32, tensor.buffer != 0, !tensor.isVariable, tensor.sparsity == nil,
                  tensor.quantization?.isAffine != true, let tensorUses = uses[tensorIndex],
                  let data = try? model.data(ofBuffer: Int(tensor.buffer)), data.count > 0 else { continue }
            let name = index == 0 ? tensor.name : "subgraphs[\(index)]:\(tensor.name)"
            let field = "subgraphs[\(index)].tensors[\(tensorIndex)]"
            guard let count = tensor.elementCount, count.multipliedReportingOverflow(by: 4) == (data.count, false) else {
                throw ModelError(file: file, field: "\(field).buffer",
                                 reason: "holds \(data.count) bytes, not 4 per element of shape \(tensor.shape)")
            }
            let ops = tensorUses.map { subgraph.operators[$0.op] }
            guard ops.allSatisfy({ builtin($0) != nil && builtin($0) != .custom && builtin($0) != .dequantize }) else { continue }

            var rule: OperatorWeights?
            if mode != .float16 {
                let rules = tensorUses.map { use -> OperatorWeights? in
                    guard let code = builtin(subgraph.operators[use.op]), let rule = OperatorWeights.hybrid[code],
                          rule.weightInputs.contains(use.position) else { return nil }
                    return rule
                }
                guard let first = rules.first ?? nil, rules.allSatisfy({ $0 != nil && $0?.channelAxis == first.channelAxis }) else { continue }
                if first.quantizedOutput, mode != .dynamic { continue }
                rule = first
                if mode == .dynamic {
                    // Hybrid kernels take float activations and give float results.
                    let floatOut = ops.allSatisfy { op in
                        op.outputs.first.map { $0 >= 0 && Int($0) < subgraph.tensors.count && subgraph.tensors[Int($0)].type == .float32 } ?? false
                    }
                    guard floatOut else { continue }
                }
            }
            if ops.contains(where: { isKeptFloat($0, in: subgraph) }) {
                kept.append(.init(tensor: name, reason: "keep-float"))
                continue
            }
            if let rule {
                let minElements = options.minElements ?? (mode == .dynamic ? 1024 : 0)
                guard count >= minElements else {
                    kept.append(.init(tensor: name, reason: "below min-elements (\(count) < \(minElements))"))
                    continue
                }
                // An operator with several weights (LSTM) quantizes all of them or none.
                if !rule.moreWeightInputs.isEmpty {
                    var short: String?
                    for use in tensorUses where short == nil {
                        short = unqualifiedWeight(of: use.op, in: index, rule: rule, minElements: minElements)
                    }
                    if let short {
                        kept.append(.init(tensor: name, reason: "its operator's weight \(short) stays float, so all do"))
                        continue
                    }
                }
                let axis = rule.channelAxis.flatMap { $0 < tensor.shape.count ? $0 : nil }
                guard let layout = WeightQuantization.ChannelLayout(shape: tensor.shape, axis: axis), layout.count == count else { continue }
                let scales = try Self.withFloats(data, file: file, field: field) { WeightQuantization.symmetricScales($0, layout: layout) }
                let storage = model.storage
                Self.release(data, in: storage)  // read again when the output is written
                let buffer = store(.data(count: count, .produced { output in
                    withExtendedLifetime(storage) {
                        try? Self.withFloats(data, file: "", field: "") {
                            WeightQuantization.quantizeSymmetric($0, scales: scales, layout: layout, into: output)
                        }
                        Self.release(data, in: storage)
                    }
                }), replacing: tensor.buffer)
                var parameters = TableValue("QuantizationParameters")
                parameters.set("scale", .floats(scales))
                parameters.set("zero_point", .int64s([Int64](repeating: 0, count: scales.count)))
                if let axis, scales.count > 1 { parameters.set("quantized_dimension", integer: Int32(axis)) }
                var table = rewriter.subgraphs[index].tensors[tensorIndex]
                table.set("type", integer: TensorType.int8.rawValue)
                table.set("buffer", integer: buffer)
                table.set("quantization", .table(parameters))
                rewriter.subgraphs[index].tensors[tensorIndex] = table
                let perChannel = scales.count > 1
                if mode == .dynamic, rule.quantizedOutput {
                    for use in tensorUses {
                        after[use.op, default: []].append(try quantizeOutput(of: use.op, subgraph: index, rule: rule, parameters: parameters))
                    }
                } else if mode == .dynamic {
                    for use in tensorUses {
                        try makeHybrid(op: use.op, subgraph: index, rule: rule, perChannel: perChannel)
                    }
                } else {
                    dequantizers.append(try dequantize(tensorIndex, subgraph: index, uses: tensorUses,
                                                       type: .int8, perChannel: perChannel))
                }
            } else {
                let storage = model.storage
                let buffer = store(.data(count: count * 2, .produced { output in
                    withExtendedLifetime(storage) {
                        try? Self.withFloats(data, file: "", field: "") { WeightQuantization.float16($0, into: output) }
                        Self.release(data, in: storage)
                    }
                }), replacing: tensor.buffer)
                var table = rewriter.subgraphs[index].tensors[tensorIndex]
                table.set("type", integer: TensorType.float16.rawValue)
                table.set("buffer", integer: buffer)
                rewriter.subgraphs[index].tensors[tensorIndex] = table
                dequantizers.append(try dequantize(tensorIndex, subgraph: index, uses: tensorUses, type: .float16, perChannel: false))
            }
            quantized.append(name)
        }
        if !after.isEmpty {
            var operators: [TableValue] = []
            for (opIndex, op) in rewriter.subgraphs[index].operators.enumerated() {
                operators.append(op)
                operators += after[opIndex] ?? []
            }
            rewriter.subgraphs[index].operators = operators
        }
        rewriter.subgraphs[index].operators.insert(contentsOf: dequantizers, at: 0)
    }

    /// Makes operator `opIndex` give int8 results with the weight's quantization into a new
    /// tensor, and returns the `DEQUANTIZE` (to go right after it) that writes the operator's
    /// original float output from them, so readers of that tensor are unchanged.
    private mutating func quantizeOutput(of opIndex: Int, subgraph index: Int, rule: OperatorWeights,
                                         parameters: TableValue) throws(ModelError) -> TableValue {
        let original = model.subgraphs[index].operators[opIndex]
        guard let output = original.outputs.first, output >= 0, Int(output) < model.subgraphs[index].tensors.count else {
            throw ModelError(file: file, field: "subgraphs[\(index)].operators[\(opIndex)].outputs", reason: "has no output tensor")
        }
        var quantized = TableValue("Tensor", source: rewriter.subgraphs[index].tensors[Int(output)].source)
        quantized.set("name", .string("\(model.subgraphs[index].tensors[Int(output)].name)/quantized"))
        quantized.set("type", integer: TensorType.int8.rawValue)
        quantized.set("buffer", nil)
        quantized.set("quantization", .table(parameters))
        let quantizedIndex = rewriter.appendTensor(quantized, subgraph: index)
        var op = rewriter.subgraphs[index].operators[opIndex]
        var outputs = (try? op.int32s("outputs")) ?? []
        if !outputs.isEmpty { outputs[0] = quantizedIndex }
        op.set("outputs", .int32s(outputs))
        rewriter.subgraphs[index].operators[opIndex] = op
        let code = Int(original.opcodeIndex)
        rewriter.raiseVersion(ofCode: code, to: rule.hybridVersion(perChannel: false, asymmetric: false))

        let dequantizeCode = try rewriter.operatorCode(.dequantize, version: OperatorWeights.dequantizeVersion(input: .int8, perChannel: false))
        var dequantize = TableValue("Operator")
        dequantize.set("opcode_index", integer: dequantizeCode)
        dequantize.set("inputs", .int32s([quantizedIndex]))
        dequantize.set("outputs", .int32s([output]))
        return dequantize
    }

    /// A `DEQUANTIZE` from constant `tensorIndex` to a new float32 tensor, which the uses read
    /// instead.
    private mutating func dequantize(_ tensorIndex: Int, subgraph index: Int, uses: [(op: Int, position: Int)],
                                     type: TensorType, perChannel: Bool) throws(ModelError) -> TableValue {
        let source = model.subgraphs[index].tensors[tensorIndex]
        var float = TableValue("Tensor", source: rewriter.subgraphs[index].tensors[tensorIndex].source)
        float.set("name", .string("\(source.name)/dequantize"))
        float.set("type", nil)
        float.set("buffer", nil)
        float.set("quantization", nil)
        let floatIndex = rewriter.appendTensor(float, subgraph: index)
        for use in uses {
            var op = rewriter.subgraphs[index].operators[use.op]
            var inputs = (try? op.int32s("inputs")) ?? []
            guard use.position < inputs.count else { continue }
            inputs[use.position] = floatIndex
            op.set("inputs", .int32s(inputs))
            rewriter.subgraphs[index].operators[use.op] = op
        }
        let version = OperatorWeights.dequantizeVersion(input: type, perChannel: perChannel)
        let code = try rewriter.operatorCode(.dequantize, version: version)
        var op = TableValue("Operator")
        op.set("opcode_index", integer: code)
        op.set("inputs", .int32s([Int32(tensorIndex)]))
        op.set("outputs", .int32s([floatIndex]))
        return op
    }

    /// The first weight input of operator `opIndex` (per `rule`) that is present but would stay
    /// float (not a float32 constant, or below `minElements`), described for the report.
    private func unqualifiedWeight(of opIndex: Int, in index: Int, rule: OperatorWeights, minElements: Int) -> String? {
        let subgraph = model.subgraphs[index]
        let op = subgraph.operators[opIndex]
        for position in rule.weightInputs where position < op.inputs.count && op.inputs[position] >= 0 {
            let tensorIndex = Int(op.inputs[position])
            guard tensorIndex < subgraph.tensors.count else { return "input \(position)" }
            let tensor = subgraph.tensors[tensorIndex]
            let constant = (try? model.data(ofBuffer: Int(tensor.buffer)))?.isEmpty == false
            guard tensor.type == .float32, constant, (tensor.elementCount ?? 0) >= minElements else {
                return "input \(position) (\(tensor.name))"
            }
        }
        return nil
    }

    /// Turns operator `opIndex` into its hybrid form: version, `asymmetric_quantize_inputs`.
    private mutating func makeHybrid(op opIndex: Int, subgraph index: Int, rule: OperatorWeights, perChannel: Bool) throws(ModelError) {
        var op = rewriter.subgraphs[index].operators[opIndex]
        let original = model.subgraphs[index].operators[opIndex]
        if let optionsName = rule.asymmetricOptions,
           let union = SchemaLayout.tflite.union("BuiltinOptions"),
           let member = union.members.first(where: { $0.table == optionsName }) {
            var options = TableValue(optionsName, source: original.builtinOptionsType == member.id ? original.builtinOptions : nil)
            options.set("asymmetric_quantize_inputs", bool: true)
            op.set("builtin_options_type", integer: member.id)
            op.set("builtin_options", .table(options))
            rewriter.subgraphs[index].operators[opIndex] = op
        }
        let code = Int(original.opcodeIndex)
        rewriter.raiseVersion(ofCode: code, to: rule.hybridVersion(perChannel: perChannel, asymmetric: rule.asymmetricOptions != nil))
    }

    /// Lets the mapped pages of `raw` go (they are read back from the file if touched again).
    static func release(_ raw: UnsafeRawBufferPointer, in storage: ByteStorage) {
        if let base = raw.baseAddress { storage.releasePages(base, byteCount: raw.count) }
    }

    /// Calls `body` with `raw` as float32 values (copied when the bytes are not aligned).
    static func withFloats<R>(_ raw: UnsafeRawBufferPointer, file: String, field: String,
                              _ body: (UnsafeBufferPointer<Float>) -> R) throws(ModelError) -> R {
        let count = raw.count / 4
        if let base = raw.baseAddress, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 {
            return body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: count))
        }
        var copy = [Float](repeating: 0, count: count)
        copy.withUnsafeMutableBytes { target in
            if let base = raw.baseAddress, count > 0 { target.baseAddress?.copyMemory(from: base, byteCount: count * 4) }
        }
        return copy.withUnsafeBufferPointer(body)
    }
}
