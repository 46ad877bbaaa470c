import TFLiteModel

/// GATHER_ND: slices of `params` addressed by the last dimension of `indices` (int32/int64);
/// the output is `indices.shape[:-1] + params.shape[nd:]`. Every index is checked against its
/// dimension (an out-of-range index fails `invoke()`).
final class GatherNDKernel: Kernel {
    private let node: Node
    private var sliceCount = 0, sliceSize = 0, depth = 0, width = 1
    private var dimensionSizes: [Int] = []
    private var dimensionSteps: [Int] = []

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let (params, indices, outputIndex, elementWidth) = try ShapeOps.gatherOperands(node, tensors)
        width = elementWidth
        guard let last = indices.shape.last, params.shape.count >= 1 else {
            throw node.invalid("indices and params must have at least one dimension")
        }
        guard last <= params.shape.count else { throw node.invalid("index depth \(last) exceeds params rank \(params.shape.count)") }
        depth = last
        sliceCount = try ShapeOps.count(Array(indices.shape.dropLast()), node)
        sliceSize = try ShapeOps.count(Array(params.shape[depth...]), node)
        let strides = IndexMapCopy.strides(params.shape)
        dimensionSizes = Array(params.shape[..<depth])
        dimensionSteps = Array(strides[..<depth])
        tensors[outputIndex].shape = Array(indices.shape.dropLast()) + Array(params.shape[depth...])
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let buffers = try GatherBuffers.fetch(node, tensors) else { return }
        let source = buffers.source, destination = buffers.destination
        let sliceBytes = sliceSize * width
        for slice in 0..<sliceCount {
            var from = 0
            for j in 0..<depth {
                let position = slice * depth + j
                let index = buffers.index(at: position)
                guard index >= 0, index < dimensionSizes[j] else {
                    throw node.failure("index \(index) is out of range [0, \(dimensionSizes[j])) on dimension \(j)")
                }
                from += index * dimensionSteps[j]
            }
            if sliceBytes > 0 { (destination + slice * sliceBytes).copyMemory(from: source + from * width, byteCount: sliceBytes) }
        }
    }
}
