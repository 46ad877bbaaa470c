import TFLiteModel

/// The packed-GEMM implementations CONV_2D and FULLY_CONNECTED run on when they fit: the 8-bit
/// dot-product GEMM (int8, uint8, and hybrid with int8 weights, on CPUs that have it), the
/// int16×8 GEMM and the float GEMM, or for mostly-zero constant float weights the sparse
/// products (many rows, or one). Everything else takes ``ConvRunner``'s loops.
enum PackedGEMM {
    case dotProduct(DotProductConv)
    case int16(Int16GEMMConv)
    case float(FloatGEMMConv)
    case sparse(SparseFloatConv)
    case sparseRow(SparseFloatGEMV)

    /// Prepares the GEMM that fits `mode` and `filter` for `geometry`, or returns nil. With
    /// `singleTap` the dot-product and float GEMMs run its 1 × 1 geometry on that tap's weights
    /// (the sparse float routes are not taken).
    static func prepare(_ tensors: TensorTable, mode: ConvMode, filter: RuntimeTensor, filterIndex: Int, geometry: ConvGeometry,
                        singleTap: ConvSingleTap? = nil, node: Node) throws(InterpreterError) -> PackedGEMM? {
        // A single tap runs its 1 × 1 geometry on the dot-product or float GEMM (not the sparse routes).
        let reduced = singleTap.map { $0.geometry(geometry) } ?? geometry
        let hybrid = if case .hybrid = mode { true } else { false }
        let eightBit = (mode == .int8 || hybrid) && filter.type == .int8 || mode == .uint8 && filter.type == .uint8
        if eightBit, DotProductConv.isAvailable {
            let gemm = DotProductConv(node: node)
            try gemm.prepare(tensors, geometry: reduced, filterIndex: filterIndex, mode: mode, singleTap: singleTap)
            return .dotProduct(gemm)
        }
        if mode == .int16, filter.type == .int8 {
            let gemm = Int16GEMMConv(node: node)
            try gemm.prepare(tensors, geometry: geometry, filterIndex: filterIndex)
            return .int16(gemm)
        }
        if mode == .float, singleTap == nil, let sparse = try SparseFloatConv.prepare(tensors, geometry: geometry, filterIndex: filterIndex, node: node) {
            return .sparse(sparse)
        }
        if mode == .float, singleTap == nil, let sparse = try SparseFloatGEMV.prepare(tensors, geometry: geometry, filterIndex: filterIndex, node: node) {
            return .sparseRow(sparse)
        }
        if mode == .float {
            let gemm = FloatGEMMConv(node: node)
            try gemm.prepare(tensors, geometry: reduced, filterIndex: filterIndex, singleTap: singleTap)
            return .float(gemm)
        }
        return nil
    }

    /// Whether the prepared route multiplies by sparse weights (``SparseFloatConv``, or the
    /// dot-product GEMM's ``SparseDotProduct``).
    var isSparse: Bool {
        switch self {
        case .sparse, .sparseRow: true
        case .dotProduct(let gemm): gemm.isSparse
        case .int16, .float: false
        }
    }

    /// Computes the output of tensor `inputIndex` into tensor `outputIndex`.
    func run(_ tensors: TensorTable, inputIndex: Int, outputIndex: Int, stage: ConvOutputStage) throws(InterpreterError) {
        switch self {
        case .dotProduct(let gemm): try gemm.run(tensors, inputIndex: inputIndex, outputIndex: outputIndex, stage: stage)
        case .int16(let gemm): try gemm.run(tensors, input: tensors[inputIndex], output: tensors[outputIndex], stage: stage)
        case .float(let gemm): try gemm.run(tensors, input: tensors[inputIndex], output: tensors[outputIndex], stage: stage)
        case .sparse(let sparse): try sparse.run(tensors, input: tensors[inputIndex], output: tensors[outputIndex], stage: stage)
        case .sparseRow(let sparse): try sparse.run(tensors, input: tensors[inputIndex], output: tensors[outputIndex], stage: stage)
        }
    }
}
