/// RESHAPE: the new shape comes from the shape input (a constant or folded 1-D int32/int64
/// tensor) when present, else from `ReshapeOptions.new_shape`; one dimension may be -1 and is
/// inferred. Like LiteRT, a legacy `new_shape` of `[0]` means a scalar.
final class ReshapeKernel: ShapeOnlyKernel {
    override func outputShape(_ input: RuntimeTensor, _ tensors: TensorTable) throws(InterpreterError) -> [Int] {
        var requested: [Int]
        if let shapeIndex = node.optionalInput(1), tensors[shapeIndex].shape.count == 1 {
            let shapeTensor = tensors[shapeIndex]
            if tensors.valuesKnown(shapeTensor) {
                requested = try ShapeOps.ints(of: shapeTensor, node, "shape")
            } else if let fromOptions = try node.options(expecting: ReshapeOptions.self).newShape {
                requested = fromOptions.map(Int.init)
            } else {
                throw tensors.deferToRunTime(node, "dynamic output shape: the shape input is not constant")
            }
        } else if let fromOptions = try node.options(expecting: ReshapeOptions.self).newShape {
            requested = fromOptions.map(Int.init)
            if requested == [0] { requested = [] }
        } else if node.optionalInput(1) != nil, tensors[try node.input(1)].elementCount == 0 {
            requested = []
        } else {
            throw node.invalid("no new shape (neither a shape input nor new_shape options)")
        }
        return try Self.resolve(requested, elementCount: input.elementCount, node: node)
    }

    /// Replaces a single -1 with the size that keeps `elementCount` elements.
    static func resolve(_ requested: [Int], elementCount: Int, node: Node) throws(InterpreterError) -> [Int] {
        var shape = requested
        var stretch: Int?
        var known = 1
        for (axis, value) in requested.enumerated() {
            if value == -1 {
                guard stretch == nil else { throw node.invalid("new shape \(requested) has more than one -1") }
                stretch = axis
            } else {
                guard value >= 0 else { throw node.invalid("new shape \(requested) has a negative dimension") }
                let (product, overflow) = known.multipliedReportingOverflow(by: value)
                guard !overflow else { throw node.invalid("new shape \(requested) overflows") }
                known = product
            }
        }
        if let stretch {
            guard known > 0, elementCount % known == 0 else {
                throw node.invalid("cannot infer -1 in \(requested) for \(elementCount) elements")
            }
            shape[stretch] = elementCount / known
        }
        return shape
    }
}
