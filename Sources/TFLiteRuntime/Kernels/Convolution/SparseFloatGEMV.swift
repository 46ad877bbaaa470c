import CTFLiteKernels
import TFLiteModel

/// float32 FULLY_CONNECTED on one row (and pointwise CONV_2D on one pixel) whose constant weights
/// are mostly zeros, as a sparse matrix-vector product vectorized over output channels
/// (`tfl_sparse_gemv_f32`): each group of 16 channels steps through its channels' nonzero weights
/// together, one at a time (gathering the inputs) or in runs of 4 consecutive input channels
/// (the converter's 1 × 4 blocks: four inputs loaded per lane). The numbers are
/// ``FloatGEMMConv``'s bit for bit wherever the input is finite, as for ``SparseFloatConv``
/// (which takes many rows).
final class SparseFloatGEMV {
    /// Time over the dense GEMM's per unit of the fraction of weights a layout multiplies (lane
    /// weights, padding and zeros inside runs included), measured with
    /// `scripts/bench/kernels.sh 20 sparse_gemv` (AVX-512) on classifier and MLP shapes: runs of
    /// 1 take 5.2–5.5× that fraction (one gather per 16 weights), runs of 4 1.5–1.6×.
    static let singlesCost = 5.4, quadsCost = 1.6

    /// The largest estimated time over the dense GEMM's this path takes (a margin for shapes
    /// unlike the measured ones).
    static let costLimit = 0.8

    /// A sparse product for `geometry` when the filter suits one (constant float32, pointwise on
    /// one pixel, the interpreter not told to stream weights or keep dense ones, and the cheaper
    /// layout estimated at most ``costLimit`` of the dense time); nil otherwise.
    static func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, node: Node) throws(InterpreterError) -> SparseFloatGEMV? {
        let filter = tensors[filterIndex]
        let patches = ConvPatches<Float>(geometry: g)
        guard tensors.sparseWeights, !tensors.streamsWeights, filter.isConstant, filter.type == .float32, patches.direct,
              patches.pixels == 1, g.outputDepth > 0, patches.depth > 0 else { return nil }
        let channels = g.outputDepth, depth = patches.depth
        let lanes = Int(TFL_SPARSE_GEMV_LANES)
        let (count, overflow) = channels.multipliedReportingOverflow(by: depth)
        guard !overflow, count <= Int(Int32.max) / 2 else { return nil }
        let weights = try ConvSupport.checked(filter, Float.self, count: count, node: node)
        // No layout pays with more than half the weights nonzero: skip the encodings' counts.
        guard 2 * tfl_sparse_f32_count(weights, channels, depth) <= count else { return nil }
        let singles = tfl_sparse_gemv_f32_steps(weights, channels, depth, Int32(TFL_SPARSE_GEMV_SINGLES))
        let quads = depth >= 4 ? tfl_sparse_gemv_f32_steps(weights, channels, depth, Int32(TFL_SPARSE_GEMV_QUADS)) : Int.max / 64
        let singlesTime = singlesCost * Double(singles * lanes) / Double(count)
        let quadsTime = quadsCost * Double(quads * 4 * lanes) / Double(count)
        guard min(singlesTime, quadsTime) <= costLimit else { return nil }
        let run = quadsTime < singlesTime ? Int(TFL_SPARSE_GEMV_QUADS) : Int(TFL_SPARSE_GEMV_SINGLES)
        let steps = run == Int(TFL_SPARSE_GEMV_QUADS) ? quads : singles
        let groups = (channels + lanes - 1) / lanes
        let starts = try ConvSupport.persistent(tensors, Int32.self, count: groups + 1, node: node)
        let index = try ConvSupport.persistent(tensors, Int32.self, count: max(steps, 1) * lanes, node: node)
        let values = try ConvSupport.persistent(tensors, Float.self, count: max(steps, 1) * lanes * run, node: node)
        tfl_sparse_gemv_f32_encode(weights, channels, depth, Int32(run), starts, index, values)
        let shares = ConvSupport.channelShares(tensors, pixelChunks: 1, channels: channels, work: steps * lanes * run)
        return SparseFloatGEMV(node: node, geometry: g, run: run, starts: starts, index: index, values: values, shares: shares)
    }

    /// Whether the weights are encoded in runs of 4 (else one at a time).
    var runsOfFour: Bool { run == Int(TFL_SPARSE_GEMV_QUADS) }

    private let node: Node
    private let geometry: ConvGeometry
    private let run: Int
    private let starts: UnsafeMutablePointer<Int32>
    private let index: UnsafeMutablePointer<Int32>
    private let values: UnsafeMutablePointer<Float>
    /// Shares of whole 16-channel groups the pool splits the channels into.
    private let shares: Int

    private init(node: Node, geometry: ConvGeometry, run: Int, starts: UnsafeMutablePointer<Int32>, index: UnsafeMutablePointer<Int32>,
                 values: UnsafeMutablePointer<Float>, shares: Int) {
        self.node = node
        self.geometry = geometry
        self.run = run
        self.starts = starts
        self.index = index
        self.values = values
        self.shares = shares
    }

    /// Computes the float32 output.
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        let g = geometry
        let channels = g.outputDepth
        let x = UnsafePointer(try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node))
        let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
        let bias = try stage.biasPointers(tensors).float
        let low = stage.floatMin, high = stage.floatMax
        let starts = self.starts, index = self.index, values = self.values, run = Int32(self.run)
        ConvSupport.forEachChannelShare(tensors, channels: channels, shares: shares) { share in
            let group = share.lowerBound / Int(TFL_SPARSE_GEMV_LANES)
            tfl_sparse_gemv_f32(y + share.lowerBound, x, run, starts + group, index, values, share.count,
                                bias.map { $0 + share.lowerBound }, low, high)
        }
    }
}
