import CTFLiteKernels
import TFLiteModel

/// float32 CONV_2D as a GEMM with the output stage fused (`tfl_gemm_f32`): weights packed once
/// in 16-channel blocks, output pixels in ``ConvPatches`` blocks (im2col unless pointwise), each
/// sum accumulated in reduction order with fused multiply-adds, then bias and activation clamp
/// applied in registers and stored straight into the output; a fused activation operator
/// (``ConvOutputStage/fusedActivation``) then runs on each block while it is in cache.
/// Convolutions with filters wider than a pixel skip im2col where the CPU runs `tfl_direct_f32`
/// in vector code and there are at most four input channels (an image's first layer) or rows of
/// 6 output pixels or more: each image is staged once with zero margins and each output row
/// read from it, with the same packed weights and the same sums.
final class FloatGEMMConv {
    private let node: Node
    private var patchLayout = ConvPatches<Float>(geometry: ConvGeometry())
    private var chunks = 1
    /// Shares of output channels the pool splits when the pixels do not split (see ``ConvSupport``).
    private var channelShares = 1
    private var filterIndex = 0
    /// The one filter tap a 1 × 1 geometry stands for (``ConvSingleTap``), or nil.
    private var singleTap: ConvSingleTap?
    private var filterIsConstant = false
    private var packed: UnsafeMutablePointer<Float>?
    /// Constant weights packed at each run into the table's shared buffer
    /// (``Interpreter/Options/streamsWeights``) rather than once into `packed`.
    private var streamsFilter = false
    private var patches: UnsafeMutablePointer<Float>?
    /// One zero per batch: what padding taps read.
    private var zeros: UnsafeMutablePointer<Float>?
    /// The direct path: its layout and staged images (nil otherwise).
    private var directLayout = tfl_direct_geometry()
    private var directStaged: UnsafeMutablePointer<Float>?
    private var directStagedCount = 0

    init(node: Node) { self.node = node }

    /// Whether the GEMM runs one tap of a wider filter (``ConvSingleTap``).
    var runsSingleTap: Bool { singleTap != nil }

    /// Whether `g` takes the direct path: a filter wider than a pixel, at most four input channels
    /// or rows of 6 output pixels or more (as ``DotProductConv/suitsDirect(_:mode:)``), on a CPU
    /// whose features in use run `tfl_direct_f32` in vector code.
    static func suitsDirect(_ g: ConvGeometry) -> Bool {
        g.inputDepth >= 1 && (g.inputDepth <= 4 || g.outputWidth >= 6) && g.taps > 1 && tfl_direct_f32_available() != 0
    }

    /// Whether the outputs come from the direct path (staged images, no im2col).
    var isDirect: Bool { directStaged != nil }

    /// Allocates packed weights and scratch for `geometry`; packs a constant filter
    /// (`[outputDepth][filterHeight][filterWidth][inputDepth]` float32).
    /// `singleTap`: the filter's one tap `g` (its 1 × 1 geometry) runs on (``ConvSingleTap``).
    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, singleTap: ConvSingleTap? = nil) throws(InterpreterError) {
        patchLayout = ConvPatches(geometry: g)
        self.filterIndex = filterIndex
        self.singleTap = singleTap
        let depth = patchLayout.depth
        let filter = tensors[filterIndex]
        let filterCount = singleTap?.fullCount(channels: g.outputDepth, depth: depth) ?? g.outputDepth * depth
        guard filter.elementCount == filterCount else {
            throw node.invalid("filter has \(filter.elementCount) values, \(filterCount) expected")
        }
        let packedCount = tfl_gemm_f32_packed_count(depth, g.outputDepth)
        streamsFilter = tensors.streamsWeights && filter.isConstant
        if streamsFilter {
            let (bytes, overflow) = max(packedCount, 1).multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
            if overflow { throw node.invalid("packed weights size overflows") }
            _ = try tensors.streamingBuffer(byteCount: bytes)
            packed = nil
        } else {
            packed = try ConvSupport.persistent(tensors, Float.self, count: packedCount, node: node)
        }
        zeros = try ConvSupport.persistent(tensors, Float.self, count: g.batches, node: node)
        let work = g.outputCount * g.taps * g.inputDepth
        directStaged = nil
        patches = nil
        if Self.suitsDirect(g) {
            let staging = try DirectStaging<Float>(tensors, geometry: g, perImage: { tfl_direct_f32_staged_count($0) }, node: node)
            directLayout = staging.layout
            directStagedCount = staging.perImage
            directStaged = staging.images
            chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight, work: work)
            channelShares = 1
        } else {
            chunks = ConvSupport.chunks(tensors, rows: patchLayout.pixelGroups, work: work)
            channelShares = patchLayout.channelShares(tensors, pixelChunks: chunks, work: work)
            patches = try patchLayout.scratch(tensors, chunks: chunks, node: node)
        }
        filterIsConstant = filter.isConstant && !streamsFilter
        if filterIsConstant { try pack(tensors) }
    }

    /// Packs the filter into `packed`, or into the shared buffer when streaming; returns where.
    @discardableResult
    private func pack(_ tensors: TensorTable) throws(InterpreterError) -> UnsafeMutablePointer<Float> {
        let g = patchLayout.geometry
        let target: UnsafeMutablePointer<Float>
        if streamsFilter {
            let count = max(tfl_gemm_f32_packed_count(patchLayout.depth, g.outputDepth), 1)
            target = try tensors.streamingBuffer(byteCount: count * MemoryLayout<Float>.stride).bindMemory(to: Float.self, capacity: count)
        } else {
            guard let packed else { throw node.failure("not prepared") }
            target = packed
        }
        let depth = patchLayout.depth
        if let singleTap {
            let full = try ConvSupport.checked(tensors[filterIndex], Float.self, count: singleTap.fullCount(channels: g.outputDepth, depth: depth),
                                               node: node)
            tfl_gemm_f32_pack(singleTap.slice(UnsafePointer(full), channels: g.outputDepth, depth: depth), g.outputDepth, depth, target)
            return target
        }
        let weights = try ConvSupport.checked(tensors[filterIndex], Float.self, count: g.outputDepth * depth, node: node)
        tfl_gemm_f32_pack(weights, g.outputDepth, depth, target)
        return target
    }

    /// Computes the float32 output.
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        let packed = filterIsConstant ? packed : try pack(tensors)
        guard let packed, let zeros else { throw node.failure("not prepared") }
        let g = patchLayout.geometry
        let channels = g.outputDepth
        let depth = patchLayout.depth
        let source = UnsafePointer(try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node))
        let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
        let bias = try stage.biasPointers(tensors).float
        let low = stage.floatMin, high = stage.floatMax
        let activation = stage.fusedActivation
        let weights = UnsafePointer(packed)
        if let directStaged {
            let stagedCount = directStagedCount, rowCount = g.outputWidth * channels
            let imageCount = g.inputHeight * g.inputWidth * g.inputDepth
            withUnsafePointer(to: directLayout) { shape in
                for batch in 0..<g.batches { tfl_direct_f32_stage(directStaged + batch * stagedCount, source + batch * imageCount, shape) }
                ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { _, rows in
                    for row in rows {
                        tfl_direct_f32(y + row * rowCount, channels, directStaged + row / g.outputHeight * stagedCount, shape,
                                       row % g.outputHeight, weights, channels, bias, low, high)
                        activation?.apply(y + row * rowCount, count: rowCount)
                    }
                }
            }
            return
        }
        if channelShares > 1 {  // pointwise, every pixel in one block
            let pixels = patchLayout.pixels
            ConvSupport.forEachChannelShare(tensors, channels: channels, shares: channelShares) { share in
                let first = share.lowerBound
                tfl_gemm_f32(y + first, channels, source, depth, pixels, weights + tfl_gemm_f32_packed_count(depth, first), depth,
                             share.count, bias.map { $0 + first }, low, high)
                activation?.apply(y + first, rows: pixels, count: share.count, stride: channels)
            }
            return
        }
        patchLayout.forEachBlock(tensors, chunks: chunks, source: source, padding: zeros, scratch: patches) { _, first, count, rows in
            tfl_gemm_f32(y + first * channels, channels, rows, depth, count, weights, depth, channels, bias, low, high)
            activation?.apply(y + first * channels, count: count * channels)
        }
    }
}
