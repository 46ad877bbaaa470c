import CTFLiteKernels
import TFLiteModel

/// float32 FULLY_CONNECTED on one row (and pointwise CONV_2D on one pixel) whose constant weights
/// are mostly zeros, as a sparse matrix-vector product vectorized over output channels
/// (`tfl_sparse_gemv_f32`): each group of 16 channels steps through its channels' nonzero weights
/// together, gathering the inputs they multiply. The numbers are ``FloatGEMMConv``'s bit for bit
/// wherever the input is finite, as for ``SparseFloatConv`` (which takes many rows).
final class SparseFloatGEMV {
    /// The largest fraction of nonzero weights this path takes: measured with
    /// `scripts/bench/kernels.sh 20 sparse_gemv` (AVX-512), the sparse product takes 0.35–0.50×
    /// the dense GEMM's time at 5 % nonzero, 0.59–0.94× at 10 % and 1.4–1.8× at 20 % on
    /// classifier and MLP shapes whose weights stay in cache (the gathers, one per 16
    /// multiply-adds, set its pace; the dense product streams every weight once).
    static let densityLimit = 0.1

    /// The limit for weights of ``largeWeightBytes`` or more, which the dense product reads from
    /// memory on every run: 0.63–0.68× at 20 %, 0.87–0.92× at 30 % (4096 × 4096).
    static let largeDensityLimit = 0.25

    /// Dense float weights this large (16 MiB) no longer stay in this machine's caches.
    static let largeWeightBytes = 16 << 20

    /// A sparse product for `geometry` when the filter suits one (constant float32, pointwise on
    /// one pixel, at most ``densityLimit`` nonzero or ``largeDensityLimit`` for large weights, and
    /// the interpreter not told to stream weights or keep dense ones); nil otherwise.
    static func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, node: Node) throws(InterpreterError) -> SparseFloatGEMV? {
        let filter = tensors[filterIndex]
        let patches = ConvPatches<Float>(geometry: g)
        guard tensors.sparseWeights, !tensors.streamsWeights, filter.isConstant, filter.type == .float32, patches.direct,
              patches.pixels == 1, g.outputDepth > 0, patches.depth > 0 else { return nil }
        let (count, overflow) = g.outputDepth.multipliedReportingOverflow(by: patches.depth)
        guard !overflow, count <= Int(Int32.max) / Int(TFL_SPARSE_GEMV_LANES) else { return nil }
        let weights = try ConvSupport.checked(filter, Float.self, count: count, node: node)
        let nonzero = tfl_sparse_f32_count(weights, g.outputDepth, patches.depth)
        let limit = count * MemoryLayout<Float>.stride >= largeWeightBytes ? largeDensityLimit : densityLimit
        guard Double(nonzero) <= limit * Double(count) else { return nil }
        let lanes = Int(TFL_SPARSE_GEMV_LANES)
        let groups = (g.outputDepth + lanes - 1) / lanes
        let steps = tfl_sparse_gemv_f32_steps(weights, g.outputDepth, patches.depth)
        let starts = try ConvSupport.persistent(tensors, Int32.self, count: groups + 1, node: node)
        let index = try ConvSupport.persistent(tensors, Int32.self, count: max(steps, 1) * lanes, node: node)
        let values = try ConvSupport.persistent(tensors, Float.self, count: max(steps, 1) * lanes, node: node)
        tfl_sparse_gemv_f32_encode(weights, g.outputDepth, patches.depth, starts, index, values)
        let shares = ConvSupport.channelShares(tensors, pixelChunks: 1, channels: g.outputDepth, work: steps * lanes)
        return SparseFloatGEMV(node: node, geometry: g, starts: starts, index: index, values: values, shares: shares)
    }

    private let node: Node
    private let geometry: ConvGeometry
    private let starts: UnsafeMutablePointer<Int32>
    private let index: UnsafeMutablePointer<Int32>
    private let values: UnsafeMutablePointer<Float>
    /// Shares of whole 16-channel groups the pool splits the channels into.
    private let shares: Int

    private init(node: Node, geometry: ConvGeometry, starts: UnsafeMutablePointer<Int32>, index: UnsafeMutablePointer<Int32>,
                 values: UnsafeMutablePointer<Float>, shares: Int) {
        self.node = node
        self.geometry = geometry
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
        let starts = self.starts, index = self.index, values = self.values
        ConvSupport.forEachChannelShare(tensors, channels: channels, shares: shares) { share in
            let group = share.lowerBound / Int(TFL_SPARSE_GEMV_LANES)
            tfl_sparse_gemv_f32(y + share.lowerBound, x, starts + group, index, values, share.count, bias.map { $0 + share.lowerBound },
                                low, high)
        }
    }
}
