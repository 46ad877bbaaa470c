/// EXPAND_DIMS: inserts a dimension of 1 at the axis given by the (constant) second input,
/// in `[-rank-1, rank]`.
final class ExpandDimsKernel: ShapeOnlyKernel {
    override func outputShape(_ input: RuntimeTensor, _ tensors: TensorTable) throws(InterpreterError) -> [Int] {
        let values = try ShapeOps.constantInts(node, tensors, input: 1, "axis")
        guard values.count == 1, let value = values.first else {
            throw node.invalid("the axis input must hold one value, got \(values.count)")
        }
        let rank = input.shape.count
        guard value >= -rank - 1, value <= rank else {
            throw node.invalid("axis \(value) is out of range for rank \(rank)")
        }
        let axis = value < 0 ? value + rank + 1 : value
        var shape = input.shape
        shape.insert(1, at: axis)
        return shape
    }
}
