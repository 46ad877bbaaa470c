/// ZEROS_LIKE: zeros (all bytes 0) of the input's shape and type.
final class ZerosLikeKernel: Kernel {
    private let node: Node

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        _ = try ShapeOps.width(input.type, node)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let output = tensors[try node.output(0)]
        output.bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }
}
