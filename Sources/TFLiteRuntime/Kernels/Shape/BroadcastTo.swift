/// BROADCAST_TO: the input repeated to the constant int32/int64 `shape` input by NumPy rules
/// (the input's dimensions align to the shape's last ones; each is 1 or equal). Elements move as
/// raw bytes, so quantized values keep their encoding.
final class BroadcastToKernel: IndexMapKernel {
    /// The largest output rank LiteRT's kernel takes.
    static let maxRank = 8

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let shape = try ShapeOps.constantInts(node, tensors, input: 1, "shape")
        let rank = shape.count
        guard rank <= Self.maxRank else { throw node.unsupported("output rank \(rank) is above \(Self.maxRank)") }
        guard input.shape.count <= rank else {
            throw node.invalid("input shape \(input.shape) has more dimensions than the target shape \(shape)")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw node.invalid("shape \(shape) has a negative dimension") }
        let padded = [Int](repeating: 1, count: rank - input.shape.count) + input.shape
        for axis in 0..<rank where padded[axis] != shape[axis] && padded[axis] != 1 {
            throw node.invalid("input shape \(input.shape) does not broadcast to \(shape)")
        }
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        let strides = IndexMapCopy.strides(padded)
        let empty = shape.contains(0)
        let tables = (0..<rank).map { axis in
            IndexMapCopy.table(shape[axis], outputIsEmpty: empty) { padded[axis] == 1 ? 0 : $0 * strides[axis] }
        }
        return (shape, IndexMapCopy(tables: tables, width: width))
    }
}
