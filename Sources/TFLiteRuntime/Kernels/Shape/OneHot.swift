import TFLiteModel

/// ONE_HOT: for int32/int64 `indices`, a tensor with a new axis of the constant `depth` holding
/// `on_value` where the position equals the index and `off_value` elsewhere (indices outside
/// `0..<depth` give a row of `off_value`). The values are scalars of the output's type, copied
/// as raw bytes (float32, int32, int64, int16, int8, uint8, bool).
final class OneHotKernel: Kernel {
    private let node: Node
    private let axisOption: Int
    private var width = 4
    /// Dimensions before the new axis, its size, and elements after it.
    private var outer = 0, depth = 0, inner = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 4...4, outputs: 1...1)
        self.node = node
        axisOption = Int(try node.options(expecting: OneHotOptions.self).axis)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let indices = tensors[try node.input(0)]
        let on = tensors[try node.input(2)]
        let off = tensors[try node.input(3)]
        let outputIndex = try node.output(0)
        let type = tensors[outputIndex].type
        guard indices.type == .int32 || indices.type == .int64 else {
            throw node.invalid("indices must be int32 or int64, not \(indices.type)")
        }
        guard [.float32, .int32, .int64, .int16, .int8, .uint8, .bool].contains(type) else {
            throw node.unsupported("\(type) output is not supported")
        }
        guard on.type == type, off.type == type else {
            throw node.invalid("on_value (\(on.type)) and off_value (\(off.type)) must have the output's type \(type)")
        }
        guard on.elementCount == 1, off.elementCount == 1 else { throw node.invalid("on_value and off_value must be scalars") }
        try ShapeOps.requireData(indices, node, "indices")
        try ShapeOps.requireData(on, node, "on_value")
        try ShapeOps.requireData(off, node, "off_value")
        let depthValues = try ShapeOps.constantInts(node, tensors, input: 1, "depth")
        guard depthValues.count == 1, let depth = depthValues.first, depth >= 0 else {
            throw node.invalid("depth must be a non-negative scalar, got \(depthValues)")
        }
        let rank = indices.shape.count
        guard axisOption >= -1, axisOption <= rank else { throw node.invalid("axis \(axisOption) is out of range for rank \(rank + 1)") }
        let axis = axisOption == -1 ? rank : axisOption
        var shape = indices.shape
        shape.insert(depth, at: axis)
        width = try ShapeOps.width(type, node)
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        outer = indices.shape[..<axis].reduce(1, *)
        inner = indices.shape[axis...].reduce(1, *)
        self.depth = depth
        tensors[outputIndex].shape = shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let indices = tensors[try node.input(0)]
        if indices.type == .int32 {
            try fill(indices.buffer(Int32.self), tensors)
        } else {
            try fill(indices.buffer(Int64.self), tensors)
        }
    }

    private func fill<T: BinaryInteger>(_ indices: UnsafeMutableBufferPointer<T>, _ tensors: TensorTable) throws(InterpreterError) {
        let on = tensors[try node.input(2)], off = tensors[try node.input(3)]
        let output = tensors[try node.output(0)]
        if outer * depth * inner == 0 { return }
        guard let onValue = on.data, let offValue = off.data, let destination = output.data,
              output.byteCount >= outer * depth * inner * width, indices.count >= outer * inner else {
            throw node.failure("tensor sizes changed after prepare")
        }
        var offset = 0
        for o in 0..<outer {
            for d in 0..<depth {
                for i in 0..<inner {
                    let value = indices[o * inner + i] == d ? onValue : offValue
                    (destination + offset).copyMemory(from: value, byteCount: width)
                    offset += width
                }
            }
        }
    }
}
