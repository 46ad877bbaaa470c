import TFLiteModel

/// FILL: a tensor of the constant `dims` (int32/int64) holding the scalar `value` (its type is
/// the output's; quantized values are copied raw).
final class FillKernel: Kernel {
    private let node: Node
    private var width = 1

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let dims = try ShapeOps.constantInts(node, tensors, input: 0, "dims")
        let value = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        width = try ShapeOps.width(value.type, node)
        guard value.elementCount == 1 else { throw node.invalid("value must be a scalar, got shape \(value.shape)") }
        guard tensors[outputIndex].type == value.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from value type \(value.type)")
        }
        try ShapeOps.requireData(value, node, "value")
        guard dims.allSatisfy({ $0 >= 0 }) else { throw node.invalid("dims \(dims) must be non-negative") }
        _ = try ShapeOps.count(dims, node)
        tensors[outputIndex].shape = dims
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let value = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard let source = value.data, let destination = output.data else { return }
        let count = output.elementCount
        switch width {
        case 1: destination.assumingMemoryBound(to: UInt8.self).update(repeating: source.load(as: UInt8.self), count: count)
        case 2: destination.assumingMemoryBound(to: UInt16.self).update(repeating: source.load(as: UInt16.self), count: count)
        case 4: destination.assumingMemoryBound(to: UInt32.self).update(repeating: source.load(as: UInt32.self), count: count)
        default: destination.assumingMemoryBound(to: UInt64.self).update(repeating: source.load(as: UInt64.self), count: count)
        }
    }
}
