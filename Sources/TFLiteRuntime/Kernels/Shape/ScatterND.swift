import TFLiteModel

/// SCATTER_ND: a zero tensor of the constant `shape` with the slices of `updates` added at the
/// positions `indices` names (int32/int64; repeated positions add up, integers wrap, bool ORs),
/// for float32, int32, int64, int8, uint8 and bool updates. As LiteRT's kernel, a position is
/// refused only when its slice falls outside the whole output.
final class ScatterNDKernel: Kernel {
    private let node: Node
    private var type = TensorType.float32
    /// The index tuples' length, their number, the elements per slice, the output's size, and
    /// the element stride of each indexed dimension.
    private var tupleLength = 0, sliceCount = 0, sliceSize = 0, outputCount = 0
    private var strides: [Int] = []

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let indices = tensors[try node.input(0)]
        let updates = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        guard [.float32, .int32, .int64, .int8, .uint8, .bool].contains(updates.type) else {
            throw node.unsupported("\(updates.type) updates are not supported")
        }
        guard tensors[outputIndex].type == updates.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from updates type \(updates.type)")
        }
        guard indices.type == .int32 || indices.type == .int64 else { throw node.invalid("indices must be int32 or int64, not \(indices.type)") }
        try ShapeOps.requireData(indices, node, "indices")
        try ShapeOps.requireData(updates, node, "updates")
        let shape = try ShapeOps.constantInts(node, tensors, input: 2, "shape")
        guard shape.allSatisfy({ $0 >= 0 }) else { throw node.invalid("shape \(shape) has a negative dimension") }
        guard let last = indices.shape.last, last >= 1, last <= shape.count else {
            throw node.invalid("indices shape \(indices.shape) does not index shape \(shape)")
        }
        let expected = Array(indices.shape.dropLast()) + shape[last...]
        guard updates.shape == expected else {
            throw node.invalid("updates shape \(updates.shape) should be \(expected) for indices \(indices.shape) and shape \(shape)")
        }
        type = updates.type
        tupleLength = last
        sliceCount = indices.shape.dropLast().reduce(1, *)
        outputCount = try ShapeOps.plannedCount(shape, width: try ShapeOps.width(type, node), node, tensors)
        sliceSize = shape[last...].reduce(1, *)
        strides = Array(IndexMapCopy.strides(shape).prefix(last))
        tensors[outputIndex].shape = shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let indices = tensors[try node.input(0)]
        let updates = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        if indices.type == .int32 {
            try scatter(indices.buffer(Int32.self), updates, output)
        } else {
            try scatter(indices.buffer(Int64.self), updates, output)
        }
    }

    private func scatter<I: BinaryInteger>(_ indices: UnsafeMutableBufferPointer<I>, _ updates: RuntimeTensor,
                                           _ output: RuntimeTensor) throws(InterpreterError) {
        guard indices.count >= sliceCount * tupleLength else { throw node.failure("tensor sizes changed after prepare") }
        switch type {
        case .float32: try add(Float.self, indices, updates, output, +)
        case .int32: try add(Int32.self, indices, updates, output, &+)
        case .int64: try add(Int64.self, indices, updates, output, &+)
        case .int8: try add(Int8.self, indices, updates, output, &+)
        case .uint8: try add(UInt8.self, indices, updates, output, &+)
        default: try add(UInt8.self, indices, updates, output) { $0 | $1 }
        }
    }

    private func add<T: Numeric, I: BinaryInteger>(_: T.Type, _ indices: UnsafeMutableBufferPointer<I>, _ updates: RuntimeTensor,
                                                   _ output: RuntimeTensor, _ combine: (T, T) -> T) throws(InterpreterError) {
        let source = updates.buffer(T.self), destination = output.buffer(T.self)
        guard source.count >= sliceCount * sliceSize, destination.count >= outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        for index in 0..<outputCount { destination[index] = 0 }
        for slice in 0..<sliceCount {
            var position = 0
            for axis in 0..<tupleLength {
                guard let coordinate = Int(exactly: indices[slice * tupleLength + axis]) else {
                    throw node.failure("index \(indices[slice * tupleLength + axis]) is out of range")
                }
                let (term, overflow) = coordinate.multipliedReportingOverflow(by: strides[axis])
                let (sum, overflow2) = position.addingReportingOverflow(term)
                guard !overflow, !overflow2 else { throw node.failure("index \(coordinate) is out of range") }
                position = sum
            }
            guard position >= 0, position <= outputCount - sliceSize else {
                throw node.failure("slice \(slice) falls outside the output (element \(position) of \(outputCount))")
            }
            for offset in 0..<sliceSize {
                destination[position + offset] = combine(destination[position + offset], source[slice * sliceSize + offset])
            }
        }
    }
}
