import TFLiteModel

/// ARG_MAX and ARG_MIN along one constant axis, with int32 or int64 indices (`output_type`).
///
/// Like LiteRT, the first index wins on ties (a later value must compare strictly greater or
/// less), and a NaN in first position is kept. Inputs: float32, int8, uint8, int32 (the raw
/// values are compared; quantization does not change the order).
final class ArgMinMaxKernel: Kernel {
    private let node: Node
    private let isMax: Bool
    private var outer = 0
    private var axisSize = 0
    private var inner = 0

    init(_ node: Node, isMax: Bool) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        self.isMax = isMax
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        switch input.type {
        case .float32, .int8, .uint8, .int32: break
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        let outputType = tensors[outputIndex].type
        guard outputType == .int32 || outputType == .int64 else {
            throw node.unsupported("output type \(outputType) is not supported (int32 or int64)")
        }
        // The output tensor's type unless the options name one.
        let declared: Int8?
        if isMax {
            let options = try node.options(expecting: ArgMaxOptions.self)
            declared = options.has(.outputType) ? options.outputType : nil
        } else {
            let options = try node.options(expecting: ArgMinOptions.self)
            declared = options.has(.outputType) ? options.outputType : nil
        }
        if let declared, declared != outputType.rawValue {
            throw node.invalid("output_type \(TensorType(rawValue: declared)) differs from the output tensor's \(outputType)")
        }
        let axes = try ReductionSupport.constantAxes(node, tensors, input: 1)
        guard axes.count == 1 else { throw node.invalid("expected one axis, got \(axes.count)") }
        let rank = input.shape.count
        guard rank > 0 else { throw node.invalid("the input must have at least one dimension") }
        let axis = axes[0] < 0 ? axes[0] + rank : axes[0]
        guard axis >= 0, axis < rank else { throw node.invalid("axis \(axes[0]) is out of range for rank \(rank)") }
        outer = input.shape[..<axis].reduce(1, *)
        axisSize = input.shape[axis]
        inner = input.shape[(axis + 1)...].reduce(1, *)
        guard axisSize > 0 || outer * inner == 0 else { throw node.invalid("cannot take the arg of an empty axis") }
        var shape = input.shape
        shape.remove(at: axis)
        tensors[outputIndex].shape = shape
        tensors[outputIndex].quantization = nil
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard input.elementCount >= outer * axisSize * inner, output.elementCount >= outer * inner else {
            throw node.failure("tensor sizes changed after prepare")
        }
        switch input.type {
        case .float32: select(input.buffer(Float.self), output)
        case .int8: select(input.buffer(Int8.self), output)
        case .uint8: select(input.buffer(UInt8.self), output)
        case .int32: select(input.buffer(Int32.self), output)
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
    }

    private func select<T: Comparable>(_ values: UnsafeMutableBufferPointer<T>, _ output: RuntimeTensor) {
        if output.type == .int64 {
            let indices = output.buffer(Int64.self)
            scan(values) { position, index in indices[position] = Int64(index) }
        } else {
            let indices = output.buffer(Int32.self)
            scan(values) { position, index in indices[position] = Int32(truncatingIfNeeded: index) }
        }
    }

    @inline(__always)
    private func scan<T: Comparable>(_ values: UnsafeMutableBufferPointer<T>, _ store: (Int, Int) -> Void) {
        guard axisSize > 0 else { return }
        for o in 0..<outer {
            let base = o * axisSize * inner
            for i in 0..<inner {
                var best = values[base + i]
                var bestIndex = 0
                for a in 1..<max(axisSize, 1) {
                    let value = values[base + a * inner + i]
                    if isMax ? value > best : value < best {
                        best = value
                        bestIndex = a
                    }
                }
                store(o * inner + i, bestIndex)
            }
        }
    }
}
