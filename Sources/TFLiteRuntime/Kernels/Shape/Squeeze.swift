/// SQUEEZE: removes the dimensions listed in `squeeze_dims` (negative allowed; each must be 1),
/// or every dimension of size 1 when the list is empty.
final class SqueezeKernel: ShapeOnlyKernel {
    override func outputShape(_ input: RuntimeTensor, _ tensors: TensorTable) throws(InterpreterError) -> [Int] {
        let rank = input.shape.count
        let dims = try node.options(expecting: SqueezeOptions.self).squeezeDims?.map(Int.init) ?? []
        var remove = [Bool](repeating: false, count: rank)
        if dims.isEmpty {
            for axis in 0..<rank where input.shape[axis] == 1 { remove[axis] = true }
        } else {
            for value in dims {
                let axis = try ShapeOps.axis(value, rank: rank, node)
                guard input.shape[axis] == 1 else {
                    throw node.invalid("cannot squeeze dimension \(value) of size \(input.shape[axis])")
                }
                remove[axis] = true
            }
        }
        return input.shape.indices.filter { !remove[$0] }.map { input.shape[$0] }
    }
}
