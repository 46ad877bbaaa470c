import TFLiteModel

/// Constant FULLY_CONNECTED weights stored sparse (sparsity parameters on the weight tensor
/// itself, no DENSIFY: the converter's `EXPERIMENTAL_SPARSITY` output for float weights in 1×4
/// blocks and int8 weights in 1×16 blocks, which LiteRT runs on its sparse kernels) expanded
/// once at prepare (``SparseToDense``) into a dense constant the usual paths read; mostly-zero
/// float weights then take ``SparseFloatConv`` as any other, and int8 ones zero in runs of 16
/// input channels ``SparseDotProduct``.
enum SparseWeights {
    /// Tensor `index` with sparse storage made dense in place (counted against the work and
    /// memory limits; the walk over hostile metadata is bounded by ``SparseToDense``); a dense
    /// tensor is returned as it is.
    static func densified(_ tensors: TensorTable, index: Int, node: Node) throws(InterpreterError) -> RuntimeTensor {
        let tensor = tensors[index]
        guard let sparsity = tensor.sparsity else { return tensor }
        guard tensor.isConstant else { throw node.unsupported("sparse weights \(tensor.name) must be constant") }
        let width = try ShapeOps.width(tensor.type, node)
        let count = try ShapeOps.count(tensor.shape, node)
        try tensors.checkWork(count, node: node)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        if overflow { throw node.invalid("weights \(tensor.name) are too large") }
        let converter: SparseToDense
        do { converter = try SparseToDense(denseShape: tensor.shape, sparsity: sparsity) } catch {
            throw node.invalid("bad sparsity of \(tensor.name): \(error)")
        }
        let data = try tensors.allocatePersistent(byteCount: bytes)
        do {
            try converter.expand(values: UnsafeRawBufferPointer(tensor.bytes), width: width,
                                 into: UnsafeMutableRawBufferPointer(start: data, count: bytes))
        } catch {
            throw node.invalid("bad sparse data in \(tensor.name): \(error)")
        }
        tensors[index].data = data
        tensors[index].byteCount = bytes
        tensors[index].storage = .folded
        tensors[index].sparsity = nil
        return tensors[index]
    }
}
