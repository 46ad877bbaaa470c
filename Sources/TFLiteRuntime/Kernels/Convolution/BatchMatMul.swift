import TFLiteModel

/// BATCH_MATMUL: `output[..., i, j] = Σ_k lhs[..., i, k] × rhs[..., k, j]` with `adj_x` / `adj_y`
/// (transposed operands) and broadcasting batch dimensions (ranks 2…5).
///
/// Types: float32; int8 (zero points on both operands, LiteRT's float-product multiplier,
/// int32 sums); int16 (zero points 0, 64-bit sums); hybrid float × int8 (constant right-hand
/// side): each left-hand row is quantized on the fly, asymmetrically when
/// `asymmetric_quantize_inputs` is set, and scaled back with the row and weight scales.
///
/// The right-hand side is packed to `[batch][k][j]` (at prepare when constant) and the left-hand
/// side staged to `[batch][i][k]`, so every output row accumulates its columns contiguously.
final class BatchMatMulKernel: Kernel {
    private let node: Node
    private let adjX: Bool
    private let adjY: Bool
    private let asymmetricInputs: Bool
    private let stage: ConvOutputStage
    private var rows = 0, depth = 0, cols = 0
    private var lhsBatches = 0, rhsBatches = 0, outputBatches = 0
    private var lhsBatchOf: [Int] = []
    private var rhsBatchOf: [Int] = []
    private var rhsIsConstant = false
    private var lhsOffset: Int32 = 0
    private var rhsOffset: Int32 = 0
    private var chunks = 1
    private var packedFloat: UnsafeMutablePointer<Float>?
    private var packedInteger: UnsafeMutablePointer<Int16>?
    private var stagedFloat: UnsafeMutablePointer<Float>?
    private var stagedInteger: UnsafeMutablePointer<Int32>?
    private var quantizedInput: UnsafeMutablePointer<Int8>?
    private var accumulators: UnsafeMutableRawPointer?

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: BatchMatMulOptions.self)
        adjX = options.adjX
        adjY = options.adjY
        asymmetricInputs = options.asymmetricQuantizeInputs
        stage = ConvOutputStage(node: node)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let lhs = tensors[try node.input(0)]
        let rhsIndex = try node.input(1)
        let rhs = tensors[rhsIndex]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        guard (2...5).contains(lhs.shape.count), (2...5).contains(rhs.shape.count) else {
            throw node.invalid("operands must have rank 2…5, got \(lhs.shape) and \(rhs.shape)")
        }
        rows = adjX ? lhs.dimension(-1) : lhs.dimension(-2)
        depth = adjX ? lhs.dimension(-2) : lhs.dimension(-1)
        let rhsDepth = adjY ? rhs.dimension(-1) : rhs.dimension(-2)
        cols = adjY ? rhs.dimension(-2) : rhs.dimension(-1)
        guard depth == rhsDepth else { throw node.invalid("inner dimensions differ: \(lhs.shape) × \(rhs.shape)") }

        // Broadcast the batch dimensions.
        let lhsBatchShape = Array(lhs.shape.dropLast(2)), rhsBatchShape = Array(rhs.shape.dropLast(2))
        let rank = max(lhsBatchShape.count, rhsBatchShape.count)
        let l = Array(repeating: 1, count: rank - lhsBatchShape.count) + lhsBatchShape
        let r = Array(repeating: 1, count: rank - rhsBatchShape.count) + rhsBatchShape
        var batchShape: [Int] = []
        for d in 0..<rank {
            guard l[d] == r[d] || l[d] == 1 || r[d] == 1 else {
                throw node.invalid("batch dimensions \(lhsBatchShape) and \(rhsBatchShape) do not broadcast")
            }
            batchShape.append(l[d] == 1 ? r[d] : l[d])
        }
        lhsBatches = l.reduce(1, *)
        rhsBatches = r.reduce(1, *)
        // The two batch-index tables (8 bytes each per output batch) must fit the memory cap
        // before they are built, even when the output itself is empty.
        outputBatches = try ShapeOps.plannedCount(batchShape, width: 16, node, tensors)
        try tensors.checkWork(outputBatches, rows, depth, cols, node: node)
        lhsBatchOf = []
        rhsBatchOf = []
        for ob in 0..<outputBatches {
            var rest = ob, li = 0, ri = 0, lStride = 1, rStride = 1
            for d in stride(from: rank - 1, through: 0, by: -1) {
                let index = rest % batchShape[d]
                rest /= batchShape[d]
                if l[d] != 1 { li += index * lStride }
                if r[d] != 1 { ri += index * rStride }
                lStride *= l[d]
                rStride *= r[d]
            }
            lhsBatchOf.append(li)
            rhsBatchOf.append(ri)
        }

        // Types.
        let mode: ConvMode
        switch (lhs.type, rhs.type) {
        case (.float32, .float32): mode = .float
        case (.float32, .int8): mode = .hybrid(asymmetric: asymmetricInputs)
        case (.int8, .int8): mode = .int8
        case (.int16, .int16): mode = .int16
        default: throw node.unsupported("operands \(lhs.type) × \(rhs.type) are not supported")
        }
        let expectedOutput: TensorType = switch mode {
        case .float, .hybrid: .float32
        case .int8: .int8
        default: .int16
        }
        guard output.type == expectedOutput else { throw node.unsupported("output type \(output.type) for \(lhs.type) × \(rhs.type)") }
        stage.mode = mode
        stage.channels = cols
        stage.biasIndex = nil
        switch mode {
        case .float: break
        case .hybrid:
            guard rhs.isConstant else { throw node.unsupported("hybrid BATCH_MATMUL needs a constant right-hand side") }
            guard let q = rhs.quantization, q.scales.count == 1 else { throw node.unsupported("hybrid BATCH_MATMUL needs per-tensor weights") }
            stage.channelScales = [q.scale]
            stage.perChannelScales = false
            stage.batchScales = try ConvSupport.persistent(tensors, Float.self, count: lhsBatches * rows, node: node)
            stage.batchOffsets = try ConvSupport.persistent(tensors, Int32.self, count: lhsBatches * rows, node: node)
        case .int8, .int16:
            guard lhs.quantization != nil, rhs.quantization != nil, output.quantization != nil, output.scale > 0 else {
                throw node.invalid("quantized BATCH_MATMUL needs operand and output quantization")
            }
            guard rhs.quantization?.scales.count == 1 else { throw node.unsupported("per-channel right-hand side") }
            if mode == .int16 && (lhs.zeroPoint != 0 || rhs.zeroPoint != 0 || output.zeroPoint != 0) {
                throw node.unsupported("int16 BATCH_MATMUL needs zero points of 0")
            }
            lhsOffset = -(try lhs.checkedZeroPoint(node))
            rhsOffset = -(try rhs.checkedZeroPoint(node))
            _ = try output.checkedZeroPoint(node)
            let m = ConvSupport.legacyMultiplier(input: lhs.scale, filter: rhs.scale, output: output.scale)
            stage.multipliers = Array(repeating: m, count: cols)
            stage.outputZeroPoint = output.zeroPoint
            (stage.quantizedMin, stage.quantizedMax) = try ConvSupport.quantizedRange(.none, output: output, node: node)
        default: throw node.unsupported("operands \(lhs.type) × \(rhs.type) are not supported")
        }
        tensors[outputIndex].shape = batchShape + [rows, cols]

        // Memory.
        let lhsCount = lhsBatches * rows * depth
        let rhsCount = rhsBatches * depth * cols
        guard lhs.elementCount == lhsCount, rhs.elementCount == rhsCount else { throw node.invalid("operand sizes do not match their shapes") }
        packedFloat = nil; packedInteger = nil; stagedFloat = nil; stagedInteger = nil; quantizedInput = nil
        switch mode {
        case .float:
            packedFloat = try ConvSupport.persistent(tensors, Float.self, count: rhsCount, node: node)
            if adjX { stagedFloat = try ConvSupport.persistent(tensors, Float.self, count: lhsCount, node: node) }
        default:
            packedInteger = try ConvSupport.persistent(tensors, Int16.self, count: rhsCount, node: node)
            stagedInteger = try ConvSupport.persistent(tensors, Int32.self, count: lhsCount, node: node)
            if case .hybrid = mode {
                stagedFloat = try ConvSupport.persistent(tensors, Float.self, count: lhsCount, node: node)
                quantizedInput = try ConvSupport.persistent(tensors, Int8.self, count: lhsCount, node: node)
            }
        }
        chunks = ConvSupport.chunks(tensors, rows: outputBatches * rows, work: outputBatches * rows * depth * cols)
        accumulators = try tensors.allocatePersistent(byteCount: max(1, chunks * cols * 8))
        rhsIsConstant = rhs.isConstant
        if rhsIsConstant { try packRight(rhs) }
    }

    /// Packs the right-hand side to `[batch][k][j]`.
    private func packRight(_ rhs: RuntimeTensor) throws(InterpreterError) {
        let count = rhsBatches * depth * cols
        let (depth, cols, adjY) = (self.depth, self.cols, self.adjY)
        @inline(__always) func source(_ b: Int, _ k: Int, _ j: Int) -> Int {
            adjY ? (b * cols + j) * depth + k : (b * depth + k) * cols + j
        }
        switch stage.mode {
        case .float:
            guard let packedFloat else { return }
            let x = try ConvSupport.checked(rhs, Float.self, count: count, node: node)
            for b in 0..<rhsBatches { for k in 0..<depth { for j in 0..<cols { packedFloat[(b * depth + k) * cols + j] = x[source(b, k, j)] } } }
        case .int16:
            guard let packedInteger else { return }
            let x = try ConvSupport.checked(rhs, Int16.self, count: count, node: node)
            for b in 0..<rhsBatches { for k in 0..<depth { for j in 0..<cols { packedInteger[(b * depth + k) * cols + j] = x[source(b, k, j)] } } }
        default:
            guard let packedInteger else { return }
            let x = try ConvSupport.checked(rhs, Int8.self, count: count, node: node)
            let offset = rhsOffset
            for b in 0..<rhsBatches {
                for k in 0..<depth {
                    for j in 0..<cols { packedInteger[(b * depth + k) * cols + j] = Int16(Int32(x[source(b, k, j)]) + offset) }
                }
            }
        }
    }

    /// Copies the left-hand side to `[batch][i][k]` as `T`, transposing when `adj_x`.
    private func stageLeft<S, T>(_ source: UnsafePointer<S>, into target: UnsafeMutablePointer<T>, _ convert: (S) -> T) {
        let (rows, depth) = (self.rows, self.depth)
        for b in 0..<lhsBatches {
            for i in 0..<rows {
                for k in 0..<depth {
                    let index = adjX ? (b * depth + k) * rows + i : (b * rows + i) * depth + k
                    target[(b * rows + i) * depth + k] = convert(source[index])
                }
            }
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let lhs = tensors[try node.input(0)]
        let rhs = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        let lhsCount = lhsBatches * rows * depth
        let outputCount = outputBatches * rows * cols
        guard lhs.elementCount == lhsCount, output.elementCount == outputCount else { throw node.failure("tensor sizes changed after prepare") }
        if !rhsIsConstant { try packRight(rhs) }
        guard let accumulators else { throw node.failure("not prepared") }
        let stage = self.stage
        let (rows, depth, cols, chunks) = (self.rows, self.depth, self.cols, self.chunks)
        let lhsBatchOf = self.lhsBatchOf, rhsBatchOf = self.rhsBatchOf
        let totalRows = outputBatches * rows

        func loop<M: MultiplyAccumulate>(_ mac: M.Type, _ x: UnsafePointer<M.Input>, _ w: UnsafePointer<M.Weight>,
                                         _ finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void) {
            let acc = accumulators.bindMemory(to: M.Accumulator.self, capacity: chunks * cols)
            ConvSupport.forEachChunk(tensors, rows: totalRows, chunks: chunks) { chunk, range in
                let a = acc + chunk * cols
                for row in range {
                    let ob = row / rows, i = row % rows
                    let lhsRow = lhsBatchOf[ob] * rows + i
                    let xRow = x + lhsRow * depth
                    let wBatch = w + rhsBatchOf[ob] * depth * cols
                    a.update(repeating: M.zero, count: cols)
                    M.gemv(a, wBatch, xRow, depth: depth, count: cols, stride: cols)
                    finish(a, lhsRow, row)
                }
            }
        }

        switch stage.mode {
        case .float:
            guard let packedFloat else { throw node.failure("not prepared") }
            var x = UnsafePointer(try ConvSupport.checked(lhs, Float.self, count: lhsCount, node: node))
            if adjX, let stagedFloat {
                stageLeft(x, into: stagedFloat) { $0 }
                x = UnsafePointer(stagedFloat)
            }
            let y = try ConvSupport.checked(output, Float.self, count: outputCount, node: node)
            loop(FloatMAC.self, x, packedFloat) { a, _, row in
                stage.finishFloat(a, bias: nil, channelStart: 0, count: cols, output: y + row * cols)
            }
        case .int8:
            guard let packedInteger, let stagedInteger else { throw node.failure("not prepared") }
            let offset = lhsOffset
            stageLeft(try ConvSupport.checked(lhs, Int8.self, count: lhsCount, node: node), into: stagedInteger) { Int32($0) + offset }
            let y = try ConvSupport.checked(output, Int8.self, count: outputCount, node: node)
            loop(Int32MAC.self, stagedInteger, packedInteger) { a, _, row in
                stage.finishQuantized(a, bias: nil, channelStart: 0, count: cols, output: y + row * cols)
            }
        case .int16:
            guard let packedInteger, let stagedInteger else { throw node.failure("not prepared") }
            stageLeft(try ConvSupport.checked(lhs, Int16.self, count: lhsCount, node: node), into: stagedInteger) { Int32($0) }
            let y = try ConvSupport.checked(output, Int16.self, count: outputCount, node: node)
            loop(Int64MAC.self, stagedInteger, packedInteger) { a, _, row in
                stage.finishQuantized16(a, bias64: nil, bias32: nil, channelStart: 0, count: cols, output: y + row * cols)
            }
        case .hybrid:
            guard let packedInteger, let stagedInteger, let stagedFloat, let quantizedInput else { throw node.failure("not prepared") }
            stageLeft(try ConvSupport.checked(lhs, Float.self, count: lhsCount, node: node), into: stagedFloat) { $0 }
            stage.stageHybrid(stagedFloat, batches: lhsBatches * rows, batchSize: depth, quantized: quantizedInput, staged: stagedInteger)
            let y = try ConvSupport.checked(output, Float.self, count: outputCount, node: node)
            try stage.withHybridScaling { (scaling) throws(InterpreterError) in
                guard let scaling else { throw node.failure("not prepared") }
                loop(Int32MAC.self, stagedInteger, packedInteger) { a, lhsRow, row in
                    scaling.finish(a, columnSums: nil, offset: 0, bias: nil, count: cols, batch: lhsRow, output: y + row * cols)
                }
            }
        case .uint8:
            throw node.unsupported("uint8 BATCH_MATMUL")
        }
    }
}
