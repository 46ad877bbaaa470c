import TFLiteModel

/// CUMSUM: running sums along the scalar `axis` input (float32, int32, int64), optionally
/// `exclusive` (each sum leaves its own element out) and `reverse` (summing from the end), in
/// the element type as LiteRT's kernel does (integers wrap).
final class CumsumKernel: Kernel {
    private let node: Node
    private let exclusive: Bool
    private let reverse: Bool
    private var type = TensorType.float32

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: CumsumOptions.self)
        exclusive = options.exclusive
        reverse = options.reverse
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let axis = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        guard [.float32, .int32, .int64].contains(input.type) else { throw node.unsupported("\(input.type) input is not supported") }
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        guard axis.type == .int32, axis.elementCount == 1 else {
            throw node.invalid("axis must be an int32 scalar, got \(axis.type) of shape \(axis.shape)")
        }
        guard !input.shape.isEmpty else { throw node.invalid("the input must have at least one dimension") }
        try ShapeOps.requireData(input, node, "the input")
        if axis.isConstant { _ = try self.axis(tensors, rank: input.shape.count) }
        type = input.type
        tensors[outputIndex].shape = input.shape
    }

    /// The axis input's value made non-negative (read without allocating: `run` calls it).
    private func axis(_ tensors: TensorTable, rank: Int) throws(InterpreterError) -> Int {
        let values = tensors[try node.input(1)].buffer(Int32.self)
        guard let value = values.first else { throw node.invalid("the axis tensor is empty") }
        return try ShapeOps.axis(Int(value), rank: rank, node)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let shape = input.shape
        let axis = try axis(tensors, rank: shape.count)
        var outer = 1, inner = 1
        for dimension in shape[..<axis] { outer *= dimension }
        for dimension in shape[(axis + 1)...] { inner *= dimension }
        let length = shape[axis]
        switch type {
        case .float32: try sum(Float.self, input, output, outer, length, inner, +)
        case .int32: try sum(Int32.self, input, output, outer, length, inner, &+)
        default: try sum(Int64.self, input, output, outer, length, inner, &+)
        }
    }

    private func sum<T: Numeric>(_: T.Type, _ input: RuntimeTensor, _ output: RuntimeTensor,
                                 _ outer: Int, _ length: Int, _ inner: Int, _ add: (T, T) -> T) throws(InterpreterError) {
        let source = input.buffer(T.self), destination = output.buffer(T.self)
        guard source.count >= input.elementCount, destination.count >= input.elementCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var total: T = 0
                for step in 0..<length {
                    let index = base + (reverse ? length - 1 - step : step) * inner
                    if exclusive {
                        destination[index] = total
                        total = add(total, source[index])
                    } else {
                        total = add(total, source[index])
                        destination[index] = total
                    }
                }
            }
        }
    }
}
