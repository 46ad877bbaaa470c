/// STRIDED_SLICE with begin/end/strides from constant int32/int64 inputs and every mask of
/// `StridedSliceOptions` (begin, end, ellipsis, new axis, shrink axis) plus `offset`; negative
/// strides walk backwards. The index logic is ``StridedSlicePlan``.
final class StridedSliceKernel: IndexMapKernel {
    private let options: StridedSlicePlan.Options

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 4...4, outputs: 1...1)
        let schema = try node.options(expecting: StridedSliceOptions.self)
        options = StridedSlicePlan.Options(
            beginMask: Int(schema.beginMask), endMask: Int(schema.endMask), ellipsisMask: Int(schema.ellipsisMask),
            newAxisMask: Int(schema.newAxisMask), shrinkAxisMask: Int(schema.shrinkAxisMask), offset: schema.offset)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let begin = try ShapeOps.constantInts(node, tensors, input: 1, "begin")
        let end = try ShapeOps.constantInts(node, tensors, input: 2, "end")
        let strides = try ShapeOps.constantInts(node, tensors, input: 3, "strides")
        let plan: StridedSlicePlan
        do {
            plan = try StridedSlicePlan(inputShape: input.shape, begin: begin, end: end, strides: strides, options: options)
        } catch {
            switch error {
            case .lengths: throw node.invalid("begin \(begin), end \(end) and strides \(strides) do not fit input shape \(input.shape)")
            case .zeroStride: throw node.invalid("stride value has to be non-zero")
            case .tooManyDimensions: throw node.unsupported("too many dimensions")
            case .shrinkOutOfRange(let axis): throw node.invalid("shrink index on axis \(axis) is out of range")
            }
        }
        _ = try ShapeOps.plannedCount(plan.outputShape, width: width, node, tensors)
        return (plan.outputShape, IndexMapCopy(tables: plan.tables(inputShape: input.shape), width: width))
    }
}
