import TFLiteModel

/// GATHER along `axis` with `batch_dims` (both may be negative), int32 or int64 indices. The
/// output is `params[:axis] + indices[batch_dims:] + params[axis+1:]`. An index outside
/// `[0, params.shape[axis])` makes `invoke()` fail (as LiteRT's reference kernel does), never
/// read out of bounds.
final class GatherKernel: Kernel {
    private let node: Node
    private let axisOption: Int
    private let batchDimsOption: Int
    private var batchSize = 0, outerSize = 0, innerSize = 0, coordSize = 0, axisSize = 0, width = 1

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: GatherOptions.self)
        axisOption = Int(options.axis)
        batchDimsOption = Int(options.batchDims)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let (params, indices, outputIndex, elementWidth) = try ShapeOps.gatherOperands(node, tensors)
        width = elementWidth
        let axis = try ShapeOps.axis(axisOption, rank: max(params.shape.count, 1), node)
        guard axis < params.shape.count else { throw node.invalid("params must have at least one dimension") }
        var batchDims = batchDimsOption
        if batchDims < 0 { batchDims += indices.shape.count }
        guard batchDims >= 0, batchDims <= axis, batchDims <= indices.shape.count else {
            throw node.invalid("batch_dims \(batchDimsOption) does not fit axis \(axis) and indices rank \(indices.shape.count)")
        }
        for d in 0..<batchDims where params.shape[d] != indices.shape[d] {
            throw node.invalid("batch dimension \(d) differs: params \(params.shape), indices \(indices.shape)")
        }
        axisSize = params.shape[axis]
        batchSize = try ShapeOps.count(Array(params.shape[..<batchDims]), node)
        outerSize = try ShapeOps.count(Array(params.shape[batchDims..<axis]), node)
        innerSize = try ShapeOps.count(Array(params.shape[(axis + 1)...]), node)
        coordSize = try ShapeOps.count(Array(indices.shape[batchDims...]), node)
        tensors[outputIndex].shape = Array(params.shape[..<axis]) + Array(indices.shape[batchDims...]) + Array(params.shape[(axis + 1)...])
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let buffers = try GatherBuffers.fetch(node, tensors) else { return }
        let source = buffers.source, destination = buffers.destination
        let rowBytes = innerSize * width
        for batch in 0..<batchSize {
            for outer in 0..<outerSize {
                for coord in 0..<coordSize {
                    let position = batch * coordSize + coord
                    let index = buffers.index(at: position)
                    guard index >= 0, index < axisSize else {
                        throw node.failure("index \(index) is out of range [0, \(axisSize))")
                    }
                    let to = ((batch * outerSize + outer) * coordSize + coord) * rowBytes
                    let from = ((batch * outerSize + outer) * axisSize + index) * rowBytes
                    if rowBytes > 0 { (destination + to).copyMemory(from: source + from, byteCount: rowBytes) }
                }
            }
        }
    }
}
