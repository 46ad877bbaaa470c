/// MIRROR_PAD: pads by mirroring the input, REFLECT (edge not repeated, padding < size) or
/// SYMMETRIC (edge repeated, padding ≤ size), with LiteRT's index arithmetic.
final class MirrorPadKernel: IndexMapKernel {
    private let symmetric: Bool

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        let mode = try node.options(expecting: MirrorPadOptions.self).mode
        guard mode == 0 || mode == 1 else { throw node.invalid("mirror pad mode \(mode) is not REFLECT or SYMMETRIC") }
        symmetric = mode == 1
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let (left, right) = try PadKernel.paddings(node, tensors, rank: input.shape.count)
        let offset = symmetric ? 0 : 1
        let strides = IndexMapCopy.strides(input.shape)
        var shape: [Int] = []
        var tables: [[Int]] = []
        for axis in input.shape.indices {
            let size = input.shape[axis]
            let limit = symmetric ? size : size - 1
            guard left[axis] <= limit, right[axis] <= limit else {
                throw node.invalid("paddings \(left[axis]), \(right[axis]) are too large for dimension \(axis) of size \(size)")
            }
            let total = size + left[axis] + right[axis]  // each padding ≤ size (checked above)
            shape.append(total)
            _ = try ShapeOps.plannedCount(shape + input.shape[(axis + 1)...], width: width, node, tensors)
            tables.append(IndexMapCopy.table(total, outputIsEmpty: input.shape.contains(0)) { o in
                var index: Int
                if o < left[axis] {
                    let original = left[axis] + offset - 1
                    index = original - min(o, original - offset)
                } else {
                    index = o - left[axis]
                    if index >= size {
                        let original = size - (1 + offset)
                        index = original - min(index - size, original)
                    }
                }
                return min(max(index, 0), max(size - 1, 0)) * strides[axis]
            })
        }
        return (shape, IndexMapCopy(tables: tables, width: width))
    }
}
