import CTFLiteKernels
import TFLiteModel

/// float32 pointwise CONV_2D (1×1, stride 1, no padding) and FULLY_CONNECTED whose constant
/// weights are mostly zeros (DENSIFY'd or pruned models: MediaPipe's sparse face detector keeps
/// 30 % of each filter) as sparse matrix products (`tfl_sparse_f32`): the nonzero weights are
/// encoded once at prepare, per output channel, and each tile of pixels is multiplied by them
/// only, vectorized over pixels. The numbers are ``FloatGEMMConv``'s bit for bit wherever the
/// input is finite (a zero weight adds ±0 to a sum that is never −0, but for the sign of a zero
/// sum that a product underflowing to zero made).
final class SparseFloatConv {
    /// The largest fraction of nonzero weights this path takes: measured with
    /// `scripts/bench/kernels.sh 40 sparse` (AVX-512), the sparse product overtakes the dense GEMM
    /// at about 35 % nonzero on the face detector's shapes.
    static let densityLimit = 1.0 / 3.0

    /// The fewest pixels (or FULLY_CONNECTED rows) this path takes: one tile. Below it the
    /// staging and the partly idle vectors cost more than the zeros save (a 6 × 6 image with
    /// 384 input channels runs 1.3× slower sparse).
    static let minimumPixels = Int(TFL_SPARSE_TILE)

    /// The fewest input channels this path takes: one 8 × 8 transposed block (the face
    /// detector's 96 × 96 × 8 → 32 runs about as fast either way).
    static let minimumDepth = 8

    /// Pixels a pool chunk's share is a multiple of: whole vectors, so only the last is partial.
    private static let pixelGroup = 16

    /// A sparse product for `geometry` when the filter suits one (constant float32, pointwise,
    /// at most ``densityLimit`` nonzero, enough pixels and input channels, and the interpreter not told to stream
    /// weights or keep dense ones); nil otherwise.
    static func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, node: Node) throws(InterpreterError) -> SparseFloatConv? {
        let filter = tensors[filterIndex]
        let patches = ConvPatches<Float>(geometry: g)
        guard tensors.sparseWeights, !tensors.streamsWeights, filter.isConstant, filter.type == .float32, patches.direct,
              patches.pixels >= minimumPixels, g.outputDepth > 0, patches.depth >= minimumDepth else { return nil }
        let (count, overflow) = g.outputDepth.multipliedReportingOverflow(by: patches.depth)
        guard !overflow, count <= Int(Int32.max) else { return nil }
        let weights = try ConvSupport.checked(filter, Float.self, count: count, node: node)
        let nonzero = tfl_sparse_f32_count(weights, g.outputDepth, patches.depth)
        guard Double(nonzero) <= densityLimit * Double(count) else { return nil }
        let sparse = SparseFloatConv(node: node, patches: patches)
        try sparse.encode(tensors, weights: weights, nonzero: nonzero)
        return sparse
    }

    private let node: Node
    private let patches: ConvPatches<Float>
    private var starts: UnsafeMutablePointer<Int32>?
    private var index: UnsafeMutablePointer<Int32>?
    private var values: UnsafeMutablePointer<Float>?
    private var scratch: UnsafeMutablePointer<Float>?
    private var scratchStride = 0
    private var chunks = 1
    private var channelShares = 1

    private init(node: Node, patches: ConvPatches<Float>) {
        self.node = node
        self.patches = patches
    }

    private func encode(_ tensors: TensorTable, weights: UnsafePointer<Float>, nonzero: Int) throws(InterpreterError) {
        let g = patches.geometry
        let depth = patches.depth
        let starts = try ConvSupport.persistent(tensors, Int32.self, count: g.outputDepth + 1, node: node)
        let index = try ConvSupport.persistent(tensors, Int32.self, count: nonzero, node: node)
        let values = try ConvSupport.persistent(tensors, Float.self, count: nonzero, node: node)
        tfl_sparse_f32_encode(weights, g.outputDepth, depth, starts, index, values)
        self.starts = starts
        self.index = index
        self.values = values
        let work = patches.pixels * nonzero
        let groups = (patches.pixels + Self.pixelGroup - 1) / Self.pixelGroup
        chunks = ConvSupport.chunks(tensors, rows: groups, work: work)
        // Too few pixels to split (one vector each or less): split the channels, each share
        // staging the same pixels.
        if chunks > 1, groups < 2 * chunks {
            channelShares = ConvSupport.channelShares(tensors, pixelChunks: 1, channels: g.outputDepth, work: work)
            chunks = 1
        }
        let slots = max(chunks, channelShares)
        scratchStride = ConvSupport.slotStride(tfl_sparse_f32_scratch_count(depth, g.outputDepth), of: Float.self, slots: slots)
        scratch = try ConvSupport.slots(tensors, Float.self, stride: scratchStride, slots: slots, node: node)
    }

    /// Computes the float32 output.
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        guard let starts, let index, let values, let scratch else { throw node.failure("not prepared") }
        let g = patches.geometry
        let channels = g.outputDepth
        let depth = patches.depth
        let pixels = patches.pixels
        let source = UnsafePointer(try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node))
        let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
        let bias = try stage.biasPointers(tensors).float
        let low = stage.floatMin, high = stage.floatMax
        let scratchStride = self.scratchStride
        if channelShares > 1 {
            let shares = channelShares
            tensors.pool.parallelFor(shares) { range in
                for share in range {
                    let blocks = (channels + ConvSupport.channelBlock - 1) / ConvSupport.channelBlock
                    let first = blocks * share / shares * ConvSupport.channelBlock
                    let end = min(blocks * (share + 1) / shares * ConvSupport.channelBlock, channels)
                    if first >= end { continue }
                    tfl_sparse_f32(y + first, channels, source, depth, pixels, starts + first, index, values, depth, end - first,
                                   bias.map { $0 + first }, low, high, scratch + share * scratchStride)
                }
            }
            return
        }
        let group = Self.pixelGroup
        let groups = (pixels + group - 1) / group
        ConvSupport.forEachChunk(tensors, rows: groups, chunks: chunks) { chunk, range in
            let first = range.lowerBound * group
            let count = min(range.upperBound * group, pixels) - first
            tfl_sparse_f32(y + first * channels, channels, source + first * depth, depth, count, starts, index, values, depth, channels,
                           bias, low, high, scratch + chunk * scratchStride)
        }
    }
}
