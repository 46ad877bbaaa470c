/// REVERSE_V2: the input with the order of elements reversed along each axis of the constant
/// int32/int64 `axis` input (negative axes count from the end; any set of axes, where LiteRT
/// takes contiguous ones only). Elements move as raw bytes, so quantized values keep their
/// encoding.
final class ReverseV2Kernel: IndexMapKernel {
    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let rank = input.shape.count
        var reversed = [Bool](repeating: false, count: rank)
        for value in try ShapeOps.constantInts(node, tensors, input: 1, "axis") {
            let axis = try ShapeOps.axis(value, rank: rank, node)
            guard !reversed[axis] else { throw node.invalid("axis \(value) is listed twice") }
            reversed[axis] = true
        }
        let shape = input.shape
        let strides = IndexMapCopy.strides(shape)
        let empty = shape.contains(0)
        let tables = (0..<rank).map { axis in
            IndexMapCopy.table(shape[axis], outputIsEmpty: empty) { index in
                (reversed[axis] ? shape[axis] - 1 - index : index) * strides[axis]
            }
        }
        return (shape, IndexMapCopy(tables: tables, width: width))
    }
}
