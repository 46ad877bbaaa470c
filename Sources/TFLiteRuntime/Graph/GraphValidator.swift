import TFLiteModel

/// Checks a subgraph before anything is allocated or run, and builds the runtime tensors and
/// nodes: indices in range, shapes valid and their sizes representable, constant buffers as
/// long as their tensors, every tensor written before it is read and written once.
enum GraphValidator {
    struct Result {
        var nodes: [Node]
        var tensors: [RuntimeTensor]
    }

    static func validate(model: Model, subgraphIndex: Int) throws(InterpreterError) -> Result {
        let subgraph = model.subgraphs[subgraphIndex]
        let prefix = "subgraphs[\(subgraphIndex)]"
        let file = model.storage.source
        func bad(_ field: String, _ reason: String) -> InterpreterError {
            .invalidModel(ModelError(file: file, field: "\(prefix).\(field)", reason: reason))
        }

        var tensors: [RuntimeTensor] = []
        tensors.reserveCapacity(subgraph.tensors.count)
        for (index, tensor) in subgraph.tensors.enumerated() {
            let shape = tensor.shape.map(Int.init)
            guard shape.allSatisfy({ $0 >= 0 }) else { throw bad("tensors[\(index)].shape", "negative dimension in \(shape)") }
            guard let byteCount = try? byteCount(of: tensor.type, shape: shape) else {
                throw bad("tensors[\(index)].shape", "\(shape) of \(tensor.type) is too large")
            }
            if let scales = tensor.quantization?.scale, let nonFinite = scales.first(where: { !$0.isFinite }) {
                // Every kernel's fixed-point setup assumes finite scales; no converter writes others.
                throw bad("tensors[\(index)].quantization.scale", "scale \(nonFinite) is not a finite number")
            }
            if let zeroPoints = tensor.quantization?.zeroPoint {
                // Kernels subtract and negate zero points in 32-bit arithmetic; outside the
                // type's range (no converter writes that) they would overflow.
                let range: ClosedRange<Int64> = switch tensor.type {
                case .int8: -128...127
                case .uint8: 0...255
                case .int16: -32768...32767
                default: Int64(Int32.min) + 1...Int64(Int32.max)
                }
                if let outside = zeroPoints.first(where: { !range.contains($0) }) {
                    throw bad("tensors[\(index)].quantization.zero_point", "zero point \(outside) is outside the \(tensor.type) range")
                }
            }
            var runtime = RuntimeTensor(name: tensor.name, type: tensor.type, shape: shape, quantization: quantization(tensor.quantization),
                                        data: nil, byteCount: byteCount, storage: .none, sparsity: tensor.sparsity)
            runtime.isVariableTensor = tensor.isVariable
            let bufferIndex = Int(tensor.buffer)
            guard bufferIndex < model.buffers.count else {
                throw bad("tensors[\(index)].buffer", "buffer index \(bufferIndex) is out of range (\(model.buffers.count) buffers)")
            }
            if bufferIndex > 0, let range = model.buffers[bufferIndex].range {
                guard let bytes = model.storage.slice(range), let base = bytes.baseAddress else {
                    throw bad("tensors[\(index)].buffer", "data lies outside the file")
                }
                if tensor.sparsity == nil, tensor.type.byteWidth != nil, bytes.count != byteCount {
                    throw bad("tensors[\(index)].buffer", "buffer \(bufferIndex) holds \(bytes.count) bytes, the tensor (\(tensor.type) \(shape)) needs \(byteCount)")
                }
                runtime.data = UnsafeMutableRawPointer(mutating: base)
                runtime.byteCount = bytes.count
                runtime.storage = .constant
            }
            tensors.append(runtime)
        }

        func checkIndex(_ value: Int32, _ field: String, optional: Bool) throws(InterpreterError) {
            if value == -1 && optional { return }
            guard value >= 0, Int(value) < tensors.count else {
                throw bad(field, "tensor index \(value) is out of range (\(tensors.count) tensors)")
            }
        }
        for (position, value) in subgraph.inputs.enumerated() { try checkIndex(value, "inputs[\(position)]", optional: false) }
        for (position, value) in subgraph.outputs.enumerated() { try checkIndex(value, "outputs[\(position)]", optional: false) }

        // Written-before-read, written-once.
        var available = [Bool](repeating: false, count: tensors.count)
        for (index, tensor) in tensors.enumerated() where tensor.storage == .constant || tensor.isVariableTensor { available[index] = true }
        for input in subgraph.inputs { available[Int(input)] = true }

        var nodes: [Node] = []
        nodes.reserveCapacity(subgraph.operators.count)
        for (index, op) in subgraph.operators.enumerated() {
            let field = "operators[\(index)]"
            guard let code = model.operatorCodes[safe: Int(op.opcodeIndex)] else {
                throw bad("\(field).opcode_index", "operator code index \(op.opcodeIndex) is out of range (\(model.operatorCodes.count) codes)")
            }
            for (position, value) in op.inputs.enumerated() { try checkIndex(value, "\(field).inputs[\(position)]", optional: true) }
            for (position, value) in op.outputs.enumerated() { try checkIndex(value, "\(field).outputs[\(position)]", optional: false) }
            for (position, value) in op.intermediates.enumerated() { try checkIndex(value, "\(field).intermediates[\(position)]", optional: false) }
            for value in op.inputs where value >= 0 && !available[Int(value)] {
                throw bad("\(field).inputs", "\(code.name) reads tensor \(value) (\(DisplayText.quoted(tensors[Int(value)].name))) before any operator writes it")
            }
            for value in op.outputs {
                let output = Int(value)
                if tensors[output].storage == .constant { throw bad("\(field).outputs", "\(code.name) writes constant tensor \(value)") }
                if available[output] && !tensors[output].isVariableTensor {
                    throw bad("\(field).outputs", "\(code.name) writes tensor \(value) (\(DisplayText.quoted(tensors[output].name))), already written")
                }
                available[output] = true
            }
            nodes.append(Node(index: index, name: code.name, code: code.builtinCode, version: code.version,
                              inputs: op.inputs.map(Int.init), outputs: op.outputs.map(Int.init),
                              intermediates: op.intermediates.map(Int.init),
                              options: op.builtinOptions, optionsType: op.builtinOptionsType,
                              options2: op.builtinOptions2, options2Type: op.builtinOptions2Type,
                              customOptions: op.customOptions))
        }
        for (position, value) in subgraph.outputs.enumerated() where !available[Int(value)] {
            throw bad("outputs[\(position)]", "output tensor \(value) is never written")
        }
        return Result(nodes: nodes, tensors: tensors)
    }

    /// The element count, or nil on overflow. A shape whose dimensions other than its zeros
    /// multiply past 2^46 is refused too, though it holds no elements: kernels walk the outer
    /// dimensions of an empty tensor, and a hostile [2^28, 2^28, 0, 2] would keep them busy for
    /// years.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        var extent = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
            let (walked, walkOverflow) = extent.multipliedReportingOverflow(by: max(dimension, 1))
            if walkOverflow || walked > 1 << 46 { return nil }
            extent = walked
        }
        return count
    }

    /// Bytes of a tensor of `type` and `shape` (0 for types without a fixed width).
    static func byteCount(of type: TensorType, shape: [Int]) throws(InterpreterError) -> Int {
        guard let count = elementCount(shape) else { throw .invalidGraph("shape \(shape) overflows") }
        // A resource tensor holds the int32 id of a resource variable (VAR_HANDLE).
        guard let width = type.byteWidth ?? (type == .resource ? 4 : nil) else { return 0 }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, bytes < (1 << 46) else { throw .invalidGraph("a tensor of shape \(shape) and type \(type) is too large") }
        return bytes
    }

    static func byteCount(of tensor: RuntimeTensor, shape: [Int]) throws(InterpreterError) -> Int {
        if tensor.storage == .constant { return tensor.byteCount }
        return try byteCount(of: tensor.type, shape: shape)
    }

    static func quantization(_ parameters: QuantizationParameters?) -> Quantization? {
        guard let parameters, !parameters.scale.isEmpty else { return nil }
        var zeroPoints = parameters.zeroPoint.map { Int32(clamping: $0) }
        if zeroPoints.count < parameters.scale.count {
            zeroPoints += [Int32](repeating: zeroPoints.last ?? 0, count: parameters.scale.count - zeroPoints.count)
        }
        return Quantization(scales: parameters.scale, zeroPoints: zeroPoints, dimension: Int(parameters.quantizedDimension))
    }

    /// Copies constants whose data is not aligned for their element type into aligned memory
    /// (a hostile or unusual file must not cause misaligned loads). Vector kernels load
    /// unaligned, so element alignment is all that is needed; weights the converter left merely
    /// 4-byte aligned stay in the file instead of costing a second copy.
    static func alignConstants(_ table: TensorTable) throws(InterpreterError) {
        for index in table.indices where table[index].storage == .constant {
            let tensor = table[index]
            let alignment = max(1, min(16, tensor.type.byteWidth ?? 16))
            guard let data = tensor.data, Int(bitPattern: data) % alignment != 0 else { continue }
            let copy = try table.allocatePersistent(byteCount: tensor.byteCount)
            copy.copyMemory(from: data, byteCount: tensor.byteCount)
            table[index].data = copy
        }
    }
}
