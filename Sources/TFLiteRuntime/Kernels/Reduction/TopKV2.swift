import TFLiteModel

/// TOPK_V2: the `k` largest values along the last dimension and their indices, largest first,
/// equal values in index order (LiteRT's ordering), for float32, int32, int64, int8, uint8 and
/// int16 (quantized values compare raw, so they keep their encoding); `k` is a constant int32
/// scalar, the indices int32 or int64. `tf.math.top_k` and `tf.argsort` convert to it.
final class TopKV2Kernel: Kernel {
    private let node: Node
    private var type = TensorType.float32
    private var indexType = TensorType.int32
    private var rows = 0, length = 0, k = 0
    /// Two index buffers of `length` elements (the merge sort's source and target).
    private var order: UnsafeMutablePointer<Int32>?
    private var scratch: UnsafeMutablePointer<Int32>?

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 2...2)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let valuesIndex = try node.output(0), indicesIndex = try node.output(1)
        guard [.float32, .int32, .int64, .int8, .uint8, .int16].contains(input.type) else {
            throw node.unsupported("\(input.type) input is not supported")
        }
        guard tensors[valuesIndex].type == input.type else {
            throw node.invalid("values type \(tensors[valuesIndex].type) differs from input type \(input.type)")
        }
        indexType = tensors[indicesIndex].type
        guard indexType == .int32 || indexType == .int64 else { throw node.unsupported("\(indexType) indices are not supported") }
        guard let last = input.shape.last else { throw node.invalid("the input must have at least one dimension") }
        try ShapeOps.requireData(input, node, "the input")
        let kValues = try ShapeOps.constantInts(node, tensors, input: 1, "k")
        guard kValues.count == 1, let k = kValues.first, k >= 0, k <= last else {
            throw node.invalid("k \(kValues) must be one value in 0...\(last)")
        }
        guard last < Int(Int32.max) else { throw node.unsupported("a last dimension of \(last) is too long") }
        type = input.type
        length = last
        rows = last == 0 ? 0 : input.elementCount / last
        self.k = k
        var shape = input.shape
        shape[shape.count - 1] = k
        tensors[valuesIndex].shape = shape
        tensors[indicesIndex].shape = shape
        var passes = 1
        while 1 << passes < length { passes += 1 }
        try tensors.checkWork(rows, length, passes, node: node)
        let bytes = max(length, 1) * MemoryLayout<Int32>.stride
        order = try tensors.allocatePersistent(byteCount: bytes).bindMemory(to: Int32.self, capacity: max(length, 1))
        scratch = try tensors.allocatePersistent(byteCount: bytes).bindMemory(to: Int32.self, capacity: max(length, 1))
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let values = tensors[try node.output(0)]
        let indices = tensors[try node.output(1)]
        switch type {
        case .float32: try select(Float.self, input, values, indices)
        case .int32: try select(Int32.self, input, values, indices)
        case .int64: try select(Int64.self, input, values, indices)
        case .int8: try select(Int8.self, input, values, indices)
        case .uint8: try select(UInt8.self, input, values, indices)
        default: try select(Int16.self, input, values, indices)
        }
    }

    private func select<T: Comparable>(_: T.Type, _ input: RuntimeTensor, _ values: RuntimeTensor,
                                       _ indices: RuntimeTensor) throws(InterpreterError) {
        guard rows * k > 0 else { return }
        let source = input.buffer(T.self), outValues = values.buffer(T.self)
        guard let order, let scratch, let base = source.baseAddress, source.count >= rows * length, outValues.count >= rows * k,
              (indexType == .int32 ? indices.buffer(Int32.self).count : indices.buffer(Int64.self).count) >= rows * k else {
            throw node.failure("tensor sizes changed after prepare")
        }
        for row in 0..<rows {
            let rowValues = UnsafePointer(base + row * length)
            // LiteRT's stable sort (equal values in index order), shared with NMS.
            NonMaxSuppression.stableDecreasingSort(rowValues, count: length, into: order, scratch: scratch)
            for rank in 0..<k {
                let index = Int(order[rank])
                outValues[row * k + rank] = rowValues[index]
                if indexType == .int32 {
                    indices.buffer(Int32.self)[row * k + rank] = Int32(index)
                } else {
                    indices.buffer(Int64.self)[row * k + rank] = Int64(index)
                }
            }
        }
    }
}
