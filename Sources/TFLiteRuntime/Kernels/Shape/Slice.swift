/// SLICE: `size` elements from `begin` per dimension (int32/int64 constant inputs; a size of -1
/// takes the rest of the dimension).
final class SliceKernel: IndexMapKernel {
    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 1...1)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let begin = try ShapeOps.constantInts(node, tensors, input: 1, "begin")
        let size = try ShapeOps.constantInts(node, tensors, input: 2, "size")
        let rank = input.shape.count
        guard begin.count == rank, size.count == rank else {
            throw node.invalid("begin \(begin) and size \(size) must have \(rank) values")
        }
        let strides = IndexMapCopy.strides(input.shape)
        var shape: [Int] = []
        for axis in 0..<rank {
            let dim = input.shape[axis]
            let start = begin[axis]
            let count = size[axis] == -1 ? dim - start : size[axis]
            guard start >= 0, count >= 0, start <= dim, count <= dim - start else {
                throw node.invalid("begin \(start) and size \(size[axis]) do not fit dimension \(axis) of size \(dim)")
            }
            shape.append(count)
        }
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        let empty = shape.contains(0)
        let tables = (0..<rank).map { axis in
            IndexMapCopy.table(shape[axis], outputIsEmpty: empty) { (begin[axis] + $0) * strides[axis] }
        }
        return (shape, IndexMapCopy(tables: tables, width: width))
    }
}
