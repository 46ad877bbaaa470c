/// TRANSPOSE by a constant permutation (int32/int64, each axis once; any rank up to 6 as LiteRT,
/// higher ranks too).
final class TransposeKernel: IndexMapKernel {
    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let perm = try ShapeOps.constantInts(node, tensors, input: 1, "perm")
        let rank = input.shape.count
        guard perm.count == rank, Set(perm) == Set(0..<rank) else {
            throw node.invalid("perm \(perm) is not a permutation of \(rank) axes")
        }
        let strides = IndexMapCopy.strides(input.shape)
        let shape = perm.map { input.shape[$0] }
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        let empty = shape.contains(0)
        let tables = perm.map { axis in IndexMapCopy.table(input.shape[axis], outputIsEmpty: empty) { $0 * strides[axis] } }
        return (shape, IndexMapCopy(tables: tables, width: width))
    }
}
