/// TILE: repeats the input `multiples[d]` times along each dimension (constant int32/int64).
final class TileKernel: IndexMapKernel {
    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let multiples = try ShapeOps.constantInts(node, tensors, input: 1, "multiples")
        let rank = input.shape.count
        guard multiples.count == rank, multiples.allSatisfy({ $0 >= 0 }) else {
            throw node.invalid("multiples \(multiples) do not fit rank \(rank)")
        }
        var shape: [Int] = []
        for axis in 0..<rank {
            let (size, overflow) = input.shape[axis].multipliedReportingOverflow(by: multiples[axis])
            guard !overflow else { throw node.invalid("tiled shape overflows") }
            shape.append(size)
        }
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        let strides = IndexMapCopy.strides(input.shape)
        let empty = shape.contains(0)
        let tables = (0..<rank).map { axis in
            IndexMapCopy.table(shape[axis], outputIsEmpty: empty) { ($0 % input.shape[axis]) * strides[axis] }
        }
        return (shape, IndexMapCopy(tables: tables, width: width))
    }
}
