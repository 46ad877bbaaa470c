import TFLiteModel

/// SHAPE: the input's shape as a 1-D int32 or int64 tensor (`ShapeOptions.out_type`).
///
/// The value is known at prepare even when the input is not constant, so it is computed there
/// into persistent memory and the output is marked folded: downstream shape arithmetic
/// (STRIDED_SLICE, PACK, RESHAPE's shape input…) then folds as well, and `invoke()` skips it.
final class ShapeKernel: Kernel {
    private let node: Node

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let declared = tensors[outputIndex].type
        let options = try node.options(expecting: ShapeOptions.self)
        let type = options.has(.outType) ? TensorType(rawValue: options.outType) : declared
        guard type == .int32 || type == .int64 else { throw node.unsupported("out_type \(type) is not supported") }
        guard declared == type else { throw node.invalid("output type \(declared) differs from out_type \(type)") }
        tensors[outputIndex].shape = [input.shape.count]
        tensors[outputIndex].byteCount = input.shape.count * (type == .int32 ? 4 : 8)
        try tensors.allocateTensor(outputIndex, as: .folded)
        try write(tensors)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        try write(tensors)
    }

    private func write(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        if output.type == .int32 {
            let buffer = output.buffer(Int32.self)
            for (axis, size) in input.shape.enumerated() where axis < buffer.count { buffer[axis] = Int32(clamping: size) }
        } else {
            let buffer = output.buffer(Int64.self)
            for (axis, size) in input.shape.enumerated() where axis < buffer.count { buffer[axis] = Int64(size) }
        }
    }
}
