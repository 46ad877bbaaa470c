import TFLiteModel

/// Helpers shared by the shape and data-movement kernels: constant integer inputs (shape values
/// must be known at prepare), element widths and raw element copies.
enum ShapeOps {
    /// Element types data-movement kernels move as raw bytes.
    static let movableTypes: Set<TensorType> = [.float32, .int8, .uint8, .int16, .int32, .int64, .bool, .float16]

    /// Bytes per element of `type`, or `unsupported` for types without a fixed width.
    static func width(_ type: TensorType, _ node: Node) throws(InterpreterError) -> Int {
        guard movableTypes.contains(type), let width = type.byteWidth else {
            throw node.unsupported("type \(type) is not supported")
        }
        return width
    }

    /// The values of an int32/int64 input that must be known at prepare (a model constant or a
    /// folded result, or any input of an operator prepared at `invoke()`: see
    /// ``TensorTable/deferToRunTime(_:_:)``); `what` names it in errors.
    static func constantInts(_ node: Node, _ tensors: TensorTable, input position: Int, _ what: String) throws(InterpreterError) -> [Int] {
        let tensor = tensors[try node.input(position)]
        guard tensors.valuesKnown(tensor) else { throw tensors.deferToRunTime(node, "dynamic output shape: the \(what) input is not constant") }
        return try ints(of: tensor, node, what)
    }

    /// The values of an int32/int64 tensor whose data is available.
    static func ints(of tensor: RuntimeTensor, _ node: Node, _ what: String) throws(InterpreterError) -> [Int] {
        let count = tensor.elementCount
        switch tensor.type {
        case .int32:
            let buffer = tensor.buffer(Int32.self)
            guard buffer.count >= count else { throw node.invalid("the \(what) tensor has too little data") }
            return buffer.prefix(count).map(Int.init)
        case .int64:
            let buffer = tensor.buffer(Int64.self)
            guard buffer.count >= count else { throw node.invalid("the \(what) tensor has too little data") }
            return buffer.prefix(count).map { Int(clamping: $0) }
        default:
            throw node.invalid("the \(what) input must be int32 or int64, not \(tensor.type)")
        }
    }

    /// Checks that `tensor` holds at least its shape's worth of bytes (sparse constants don't).
    static func requireData(_ tensor: RuntimeTensor, _ node: Node, _ what: String) throws(InterpreterError) {
        guard let width = tensor.type.byteWidth else { throw node.unsupported("\(what) type \(tensor.type) is not supported") }
        let (bytes, overflow) = tensor.elementCount.multipliedReportingOverflow(by: width)
        guard !overflow, tensor.byteCount >= bytes else {
            throw node.invalid("\(what) holds \(tensor.byteCount) bytes, its shape \(tensor.shape) needs \(bytes)")
        }
    }

    /// The element count of `shape`, throwing on negative dimensions or overflow.
    static func count(_ shape: [Int], _ node: Node) throws(InterpreterError) -> Int {
        guard let count = GraphValidator.elementCount(shape) else {
            throw node.invalid("shape \(shape) is not valid")
        }
        return count
    }

    /// The element count of an output shape whose index tables a kernel is about to build,
    /// checked for overflow and against the interpreter's memory limit: hostile parameters
    /// (TILE multiples, PAD amounts) fail here instead of building gigantic tables.
    static func plannedCount(_ shape: [Int], width: Int, _ node: Node, _ tensors: TensorTable) throws(InterpreterError) -> Int {
        let count = try ShapeOps.count(shape, node)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: max(width, 1))
        if overflow { throw .memoryLimitExceeded(required: Int.max, limit: tensors.memoryLimit ?? Int.max) }
        if let limit = tensors.memoryLimit, bytes > limit { throw .memoryLimitExceeded(required: bytes, limit: limit) }
        return count
    }

    /// The operands of GATHER and GATHER_ND, checked alike: the output has params' type,
    /// indices are int32 or int64, both have data. Returns them, the output index and the
    /// element width of params.
    static func gatherOperands(_ node: Node, _ tensors: TensorTable) throws(InterpreterError) -> (params: RuntimeTensor, indices: RuntimeTensor, output: Int, width: Int) {
        let params = tensors[try node.input(0)]
        let indices = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        let width = try ShapeOps.width(params.type, node)
        guard tensors[outputIndex].type == params.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from params type \(params.type)")
        }
        guard indices.type == .int32 || indices.type == .int64 else { throw node.invalid("indices must be int32 or int64, not \(indices.type)") }
        try ShapeOps.requireData(params, node, "params")
        try ShapeOps.requireData(indices, node, "indices")
        return (params, indices, outputIndex, width)
    }

    /// An axis in `[-rank, rank)` made non-negative.
    static func axis(_ value: Int, rank: Int, _ node: Node) throws(InterpreterError) -> Int {
        guard value >= -rank, value < rank else { throw node.invalid("axis \(value) is out of range for rank \(rank)") }
        return value < 0 ? value + rank : value
    }

    /// Whether two tensors carry the same per-tensor quantization (both absent counts as equal).
    static func sameQuantization(_ a: RuntimeTensor, _ b: RuntimeTensor) -> Bool {
        a.scale == b.scale && a.zeroPoint == b.zeroPoint
    }

    /// Copies `count` elements of `width` bytes.
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, count: Int, width: Int) {
        if count > 0 { destination.copyMemory(from: source, byteCount: count * width) }
    }

    /// Whether the type is an integer type LiteRT quantizes (int8, uint8, int16).
    static func isQuantizedType(_ type: TensorType) -> Bool {
        type == .int8 || type == .uint8 || type == .int16
    }
}

/// A kernel whose output is its input's bytes under another shape (RESHAPE, SQUEEZE,
/// EXPAND_DIMS): subclasses compute the output shape; the data is copied unless the input and
/// output share memory.
class ShapeOnlyKernel: Kernel {
    let node: Node

    init(_ node: Node) {
        self.node = node
    }

    /// The output shape for `input`'s shape (subclasses override).
    func outputShape(_ input: RuntimeTensor, _ tensors: TensorTable) throws(InterpreterError) -> [Int] {
        input.shape
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        _ = try ShapeOps.width(input.type, node)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        try ShapeOps.requireData(input, node, "the input")
        let shape = try outputShape(input, tensors)
        guard try ShapeOps.count(shape, node) == input.elementCount else {
            throw node.invalid("output shape \(shape) does not hold the \(input.elementCount) elements of \(input.shape)")
        }
        tensors[outputIndex].shape = shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard let source = input.data, let destination = output.data, source != destination else { return }
        destination.copyMemory(from: source, byteCount: min(output.byteCount, input.byteCount))
    }
}
