import TFLiteModel

/// DENSIFY: expands constant sparse weights (float32, float16, int8, …) to a dense tensor with
/// ``SparseToDense``. The input is constant, so the result is computed once when the
/// interpreter folds the node at prepare.
final class DensifyKernel: Kernel {
    private let node: Node
    private var converter: SparseToDense?
    private var width = 1

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard input.isConstant else { throw node.unsupported("the sparse input must be constant") }
        guard let sparsity = input.sparsity else { throw node.invalid("the input has no sparsity parameters") }
        width = try ShapeOps.width(input.type, node)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        _ = try ShapeOps.count(input.shape, node)
        do { converter = try SparseToDense(denseShape: input.shape, sparsity: sparsity) } catch {
            throw node.invalid("bad sparsity: \(error)")
        }
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let converter else { throw node.failure("not prepared") }
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        do {
            try converter.expand(values: UnsafeRawBufferPointer(input.bytes), width: width, into: output.bytes)
        } catch {
            throw node.invalid("bad sparse data: \(error)")
        }
    }
}
