import TFLiteModel

/// SIGN: -1, 0 or 1 by the sign of each element (float32, int32, int64); NaN gives 0, as
/// LiteRT's `(0 < x) - (x < 0)`.
final class SignKernel: Kernel {
    private let node: Node
    private var type = TensorType.float32

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard [.float32, .int32, .int64].contains(input.type) else { throw node.unsupported("\(input.type) input is not supported") }
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        try ShapeOps.requireData(input, node, "the input")
        type = input.type
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        switch type {
        case .float32: apply(Float.self, input, output) { Float((0 < $0 ? 1 : 0) - ($0 < 0 ? 1 : 0)) }
        case .int32: apply(Int32.self, input, output) { $0.signum() }
        default: apply(Int64.self, input, output) { $0.signum() }
        }
    }

    private func apply<T>(_: T.Type, _ input: RuntimeTensor, _ output: RuntimeTensor, _ sign: (T) -> T) {
        let source = input.buffer(T.self), destination = output.buffer(T.self)
        let count = min(input.elementCount, source.count, destination.count)
        for index in 0..<count { destination[index] = sign(source[index]) }
    }
}
