import TFLiteModel

/// UNIQUE: the distinct values of a 1-D tensor in order of first appearance (`y`) and, for
/// every element, the position of its value in `y` (`idx`, int32 or int64 by `idx_out_type`),
/// for float32, int32, int64, int16, int8 and uint8 (quantized values compare raw).
///
/// `y`'s length depends on the values: an input known at prepare (a model constant or a
/// folded result) sizes it then; a computed one makes the interpreter prepare the operator at
/// `invoke()` (``TensorTable/deferToRunTime(_:_:)``).
final class UniqueKernel: Kernel {
    private let node: Node
    private let indexType: TensorType
    private var type = TensorType.float32
    private var uniqueCount = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 2...2)
        self.node = node
        indexType = TensorType(rawValue: try node.options(expecting: UniqueOptions.self).idxOutType)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let valuesIndex = try node.output(0), indicesIndex = try node.output(1)
        guard [.float32, .int32, .int64, .int16, .int8, .uint8].contains(input.type) else {
            throw node.unsupported("\(input.type) input is not supported")
        }
        guard tensors[valuesIndex].type == input.type else {
            throw node.invalid("output type \(tensors[valuesIndex].type) differs from input type \(input.type)")
        }
        guard indexType == .int32 || indexType == .int64, tensors[indicesIndex].type == indexType else {
            throw node.invalid("idx must be int32 or int64 as idx_out_type (\(indexType)) says, not \(tensors[indicesIndex].type)")
        }
        guard input.shape.count == 1 else { throw node.invalid("the input must be 1-D, got \(input.shape)") }
        guard tensors.valuesKnown(input) else { throw tensors.deferToRunTime(node, "dynamic output shape: the input is not constant") }
        try ShapeOps.requireData(input, node, "the input")
        type = input.type
        let count = input.elementCount
        try tensors.checkWork(count, count, node: node)
        uniqueCount = try distinct(input, into: nil, nil)
        tensors[valuesIndex].shape = [uniqueCount]
        tensors[indicesIndex].shape = [count]
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let values = tensors[try node.output(0)]
        let indices = tensors[try node.output(1)]
        guard try distinct(input, into: values, indices) == uniqueCount else { throw node.failure("the input changed after prepare") }
    }

    /// Counts the distinct values of `input`, writing them and each element's index when
    /// `values` and `indices` are given.
    private func distinct(_ input: RuntimeTensor, into values: RuntimeTensor?, _ indices: RuntimeTensor?) throws(InterpreterError) -> Int {
        switch type {
        case .float32: try distinct(Float.self, input, values, indices)
        case .int32: try distinct(Int32.self, input, values, indices)
        case .int64: try distinct(Int64.self, input, values, indices)
        case .int16: try distinct(Int16.self, input, values, indices)
        case .int8: try distinct(Int8.self, input, values, indices)
        default: try distinct(UInt8.self, input, values, indices)
        }
    }

    private func distinct<T: Equatable>(_: T.Type, _ input: RuntimeTensor, _ values: RuntimeTensor?,
                                        _ indices: RuntimeTensor?) throws(InterpreterError) -> Int {
        let source = input.buffer(T.self)
        let count = input.elementCount
        guard source.count >= count else { throw node.failure("the input holds too little data") }
        let unique = values?.buffer(T.self)
        let limit = unique?.count ?? 0
        var found = 0
        for index in 0..<count {
            let value = source[index]
            // The first earlier element with this value; its own index if none.
            var first = index
            for earlier in 0..<index where source[earlier] == value {
                first = earlier
                break
            }
            var position = found
            if first == index {
                if let unique {
                    guard found < limit else { throw node.failure("the input changed after prepare") }
                    unique[found] = value
                }
                found += 1
            } else if let unique {
                position = 0
                while position < found && unique[position] != value { position += 1 }
            }
            if let indices {
                if indexType == .int32 {
                    let buffer = indices.buffer(Int32.self)
                    if index < buffer.count { buffer[index] = Int32(position) }
                } else {
                    let buffer = indices.buffer(Int64.self)
                    if index < buffer.count { buffer[index] = Int64(position) }
                }
            }
        }
        return found
    }
}
