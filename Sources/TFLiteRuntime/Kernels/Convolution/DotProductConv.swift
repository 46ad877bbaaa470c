import CTFLiteKernels
import TFLiteModel

/// int8, uint8 and hybrid CONV_2D as an 8-bit GEMM (`tfl_gemm_s8`: AVX-512 VNNI 4-way byte dot
/// products, or AVX2 int16 pairs): exact int32 sums Σ x·w from the int8 input as it is and
/// weights kept 8-bit (packed at prepare). Since Σ (x − zp)·w = Σ x·w − zp·Σw, the zero-point
/// term is folded into the bias (int8) or taken off per batch (hybrid), and padding taps read
/// `zp`, so they contribute nothing, as in LiteRT. uint8 models run the same GEMM with 128 taken
/// off inputs and weights (x − zx and w − zw do not change; the GEMM takes the shifted weight zero
/// point). Outputs are bit-identical to LiteRT's.
///
/// Output pixels go in blocks of ``ConvPatches`` (im2col unless the convolution is pointwise).
/// Convolutions with few output channels and a filter wider than a pixel (``PixelConv/suits(_:groups:)``)
/// instead stage each image as int16 channel pairs and sum over output pixels
/// (`tfl_pixel_conv_s8`), the same exact sums without 16-channel blocks of mostly zero weights.
/// int8 and hybrid convolutions with filters wider than a pixel on AVX-512 VNNI mostly skip
/// im2col (``suitsDirect(_:mode:)``, `tfl_direct_s8`): each image is staged once as bytes x + 128
/// with zero-point margins and every tap is read from it four channels at a time, the extra
/// 128 · Σ w folded into the bias with the zero point's term (hybrid: the batch's offset), so no
/// per-pixel Σ x is needed either.
final class DotProductConv {
    /// Whether this CPU runs the dot-product GEMM in vector code.
    static var isAvailable: Bool { tfl_gemm_s8_available() != 0 }

    private let node: Node
    private var geometry = ConvGeometry()
    private var patchLayout = ConvPatches<Int8>(geometry: ConvGeometry())
    private var depth = 0
    /// The weight layout packed at prepare (for the CPU features in use then).
    private var format = Int32(TFL_GEMM_S8_QUADS)
    private var paddedChannels = 0
    private var chunks = 1
    /// Shares of output channels the pool splits when the pixels do not split
    /// (see ``ConvSupport``).
    private var channelShares = 1
    private var filterIndex = 0
    /// The one filter tap a 1 × 1 geometry stands for (``ConvSingleTap``), or nil.
    private var singleTap: ConvSingleTap?
    private var filterIsConstant = false
    private var packed: UnsafeMutablePointer<UInt8>?
    /// Constant int8 weights mostly zero in runs of 16 input channels, at one pixel: their
    /// block-sparse encoding, used instead of `packed` (nil otherwise).
    private var sparse: SparseDotProduct?
    private var columnSums: UnsafeMutablePointer<Int32>?
    private var adjustedBias: UnsafeMutablePointer<Int32>?
    /// The input zero point `adjustedBias` (bias − zero point × column sums) and `padBytes` were
    /// last filled for, when filter and bias are constant (they then stay right from one run
    /// to the next: the loop over channels is per-call cost on models of small convolutions).
    private var adjustedFor: Int32?
    private var patches: UnsafeMutablePointer<Int8>?
    /// Per batch: the input zero point, which padding taps read.
    private var padBytes: UnsafeMutablePointer<Int8>?
    /// Hybrid: the float input quantized per batch; uint8: the input less 128, as int8.
    private var staged: UnsafeMutablePointer<Int8>?
    /// The zero point of the packed weights: 0 for int8, the filter's less 128 for uint8.
    private var weightZero: Int32 = 0
    private var accumulators: UnsafeMutablePointer<Int32>?
    /// Int32 values between two threads' accumulator blocks.
    private var accumulatorStride = 0
    /// The over-pixels path: its staged layout, staged images and packed weights (nil otherwise).
    private var pixelLayout = tfl_pixel_conv_geometry()
    private var pixelStaged: UnsafeMutablePointer<Int16>?
    private var pixelPacked: UnsafeMutablePointer<Int32>?
    private var pixelStagedCount = 0
    /// The direct path (``suitsDirect(_:mode:)``): its staged layout, staged images (bytes
    /// x + 128) and packed weights (nil otherwise).
    private var directLayout = tfl_direct_geometry()
    private var directStaged: UnsafeMutablePointer<UInt8>?
    private var directPacked: UnsafeMutablePointer<Int8>?
    private var directStagedCount = 0

    init(node: Node) { self.node = node }

    /// Whether `g` takes the direct path: int8 or hybrid (weights without zero point), a filter
    /// wider than a pixel, on a CPU whose features in use run `tfl_direct_s8` in vector code; and
    /// at most four input channels (an image's first layer, where im2col costs most) or rows of 6
    /// output pixels or more (narrower rows give the direct tiles too few pixels: Inception's
    /// 3 × 3 maps of 384 channels measured 1.6 times the GEMM's time) unless few output channels
    /// take the over-pixels path (style transfer's 9 × 9, 16 → 3: twice as fast there).
    static func suitsDirect(_ g: ConvGeometry, mode: ConvMode) -> Bool {
        let eightBit = switch mode {
        case .int8, .hybrid: true
        default: false
        }
        return eightBit && g.inputDepth >= 1 && (g.inputDepth <= 4 || g.outputWidth >= 6 && !PixelConv.suits(g, groups: 1))
            && g.taps > 1 && tfl_direct_s8_available() != 0
    }

    /// Whether the sums come from the direct path (staged input bytes x + 128).
    var isDirect: Bool { directPacked != nil }

    /// Whether the GEMM runs one tap of a wider filter (``ConvSingleTap``).
    var runsSingleTap: Bool { singleTap != nil }

    /// Whether the sums come from block-sparse weights (``SparseDotProduct``).
    var isSparse: Bool { sparse != nil }

    /// Allocates packed weights and scratch for `geometry`; packs a constant filter
    /// (`[outputDepth][filterHeight][filterWidth][inputDepth]` int8).
    /// `singleTap`: the filter's one tap `g` (its 1 × 1 geometry) runs on (``ConvSingleTap``).
    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, mode: ConvMode,
                 singleTap: ConvSingleTap? = nil) throws(InterpreterError) {
        geometry = g
        self.filterIndex = filterIndex
        self.singleTap = singleTap
        patchLayout = ConvPatches(geometry: g)
        depth = patchLayout.depth
        let channels = g.outputDepth
        paddedChannels = (channels + 15) / 16 * 16
        let filter = tensors[filterIndex]
        let filterCount = singleTap?.fullCount(channels: channels, depth: depth) ?? channels * depth
        guard filter.elementCount == filterCount else {
            throw node.invalid("filter has \(filter.elementCount) values, \(filterCount) expected")
        }
        format = tfl_gemm_s8_format()
        let columnSums = try ConvSupport.persistent(tensors, Int32.self, count: channels, node: node)
        self.columnSums = columnSums
        adjustedBias = try ConvSupport.persistent(tensors, Int32.self, count: channels, node: node)
        padBytes = try ConvSupport.persistent(tensors, Int8.self, count: g.batches, node: node)
        let hybrid = if case .hybrid = mode { true } else { false }
        staged = hybrid || mode == .uint8 ? try ConvSupport.persistent(tensors, Int8.self, count: g.inputCount, node: node) : nil
        weightZero = mode == .uint8 ? filter.zeroPoint - 128 : 0
        let work = g.outputCount * g.taps * g.inputDepth
        directPacked = nil
        directStaged = nil
        if Self.suitsDirect(g, mode: mode) {
            let staging = try DirectStaging<UInt8>(tensors, geometry: g, perImage: { tfl_direct_s8_staged_size($0) }, node: node)
            directLayout = staging.layout
            directStagedCount = staging.perImage
            directStaged = staging.images
            directPacked = try ConvSupport.persistent(tensors, Int8.self, count: tfl_direct_s8_packed_size(&directLayout, channels),
                                                      node: node)
            chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight, work: work)
            channelShares = 1
            sparse = nil
            packed = nil
            accumulatorStride = ConvSupport.slotStride(g.outputWidth * paddedChannels, of: Int32.self, slots: chunks)
        } else if PixelConv.suits(g, groups: 1) {
            pixelLayout = PixelConv.layout(g)
            let (total, overflow) = tfl_pixel_conv_staged_count_s8(&pixelLayout).multipliedReportingOverflow(by: max(g.batches, 1))
            if overflow { throw node.invalid("scratch size overflows") }
            try tensors.checkWork(total, node: node)
            pixelStagedCount = tfl_pixel_conv_staged_count_s8(&pixelLayout)
            pixelStaged = try ConvSupport.persistent(tensors, Int16.self, count: total, node: node)
            pixelPacked = try ConvSupport.persistent(tensors, Int32.self, count: tfl_pixel_conv_packed_count_s8(&pixelLayout, channels),
                                                     node: node)
            chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight, work: work)
            accumulatorStride = ConvSupport.slotStride(g.outputWidth * channels, of: Int32.self, slots: chunks)
        } else {
            sparse = nil
            packed = nil
            if filter.isConstant, filter.type == .int8, mode != .uint8, patchLayout.direct {
                sparse = try withWeights(filter, Int8.self) { (weights) throws(InterpreterError) in
                    try SparseDotProduct.prepare(tensors, weights: weights, channels: channels, depth: depth, pixels: patchLayout.pixels,
                                                 columnSums: columnSums, node: node)
                }
            }
            if sparse == nil {
                packed = try ConvSupport.persistent(tensors, UInt8.self, count: tfl_gemm_s8_packed_size(depth, channels, format), node: node)
            }
            chunks = ConvSupport.chunks(tensors, rows: patchLayout.pixelGroups, work: work)
            channelShares = patchLayout.channelShares(tensors, pixelChunks: chunks, work: work)
            if hybrid, channelShares == 1, chunks > 1, patchLayout.pixels <= ConvPatches<Int8>.blockPixels {
                // Hybrid: a few pixels in one block (Inception's 3 × 3 maps) split by channels
                // (each thread then reads a share of the weights, not all of them); the block's
                // patches are gathered once.
                channelShares = ConvSupport.channelShares(tensors, pixelChunks: 1, channels: channels, work: work)
                if channelShares > 1 { chunks = 1 }
            }
            try sparse?.allocateScratch(tensors, pixels: patchLayout.pixels, slots: max(chunks, channelShares))
            patches = try patchLayout.scratch(tensors, chunks: chunks, node: node)
            accumulatorStride = ConvSupport.slotStride(ConvPatches<Int8>.blockPixels * paddedChannels, of: Int32.self, slots: chunks)
        }
        accumulators = try ConvSupport.slots(tensors, Int32.self, stride: accumulatorStride, slots: chunks, node: node)
        filterIsConstant = filter.isConstant
        // Sparse weights were encoded, with their column sums, above.
        if filterIsConstant, sparse == nil { try pack(tensors) }
        adjustedFor = nil
    }

    private func pack(_ tensors: TensorTable) throws(InterpreterError) {
        let channels = geometry.outputDepth
        let filter = tensors[filterIndex]
        if filter.type == .uint8 {
            try withWeights(filter, UInt8.self) { (weights) throws(InterpreterError) in
                var shifted = [Int8](repeating: 0, count: channels * depth)
                tfl_uint8_to_int8(weights, &shifted, channels * depth)
                try pack(shifted)
            }
        } else {
            try withWeights(filter, Int8.self) { (weights) throws(InterpreterError) in try pack(weights) }
        }
    }

    /// Calls `body` with the filter's `[channel][depth]` weights: the tensor's own, or the single
    /// tap's slice of them.
    private func withWeights<T, R>(_ filter: RuntimeTensor, _ type: T.Type,
                                   _ body: (UnsafePointer<T>) throws(InterpreterError) -> R) throws(InterpreterError) -> R {
        let channels = geometry.outputDepth
        guard let singleTap else {
            return try body(UnsafePointer(try ConvSupport.checked(filter, T.self, count: channels * depth, node: node)))
        }
        let full = try ConvSupport.checked(filter, T.self, count: singleTap.fullCount(channels: channels, depth: depth), node: node)
        let sliced = singleTap.slice(UnsafePointer(full), channels: channels, depth: depth)
        let result: Result<R, InterpreterError> = sliced.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .failure(node.failure("empty filter")) }
            do throws(InterpreterError) { return .success(try body(base)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Packs int8 weights (a uint8 filter's less 128) for the path prepared, with their column sums.
    private func pack(_ weights: UnsafePointer<Int8>) throws(InterpreterError) {
        guard let columnSums else { throw node.failure("not prepared") }
        let channels = geometry.outputDepth
        if directPacked != nil || pixelPacked != nil {
            // The staged paths' layouts; their column sums here (weightZero is 0 on the direct path).
            if let directPacked { tfl_direct_s8_pack(weights, channels, &directLayout, directPacked) }
            if let pixelPacked { tfl_pixel_conv_pack_s8(weights, channels, &pixelLayout, weightZero, pixelPacked) }
            for j in 0..<channels {
                var sum: Int32 = 0
                for k in 0..<depth { sum &+= Int32(weights[j * depth + k]) &- weightZero }
                columnSums[j] = sum
            }
            return
        }
        guard let packed else { throw node.failure("not prepared") }
        tfl_gemm_s8_pack(weights, channels, depth, packed, columnSums, format, weightZero)
    }

    /// Computes the output: int8 or uint8 (requantized), or float for hybrid mode (the float input
    /// quantized per batch first, as LiteRT's hybrid kernels do).
    /// `inputIndex` and `outputIndex` name the tensors in `tensors` (read where they lie, not copied).
    func run(_ tensors: TensorTable, inputIndex: Int, outputIndex: Int, stage: ConvOutputStage) throws(InterpreterError) {
        if !filterIsConstant { try pack(tensors) }
        guard let columnSums, let adjustedBias, let padBytes else { throw node.failure("not prepared") }
        let g = geometry
        let channels = g.outputDepth
        switch stage.mode {
        case .int8, .uint8:
            let (source, zeroPoint) = try ConvSupport.int8Input(tensors, inputIndex, mode: stage.mode, count: g.inputCount, staged: staged, node: node)
            if adjustedFor != zeroPoint {
                // The bias is read only here (a per-run tensor copy and lookup otherwise).
                let bias = try stage.biasPointers(tensors)
                // The direct path's sums are of x + 128 (tfl_direct_s8).
                let offset = isDirect ? zeroPoint &+ 128 : zeroPoint
                for c in 0..<channels {
                    adjustedBias[c] = (bias.int32?[c] ?? 0) &- offset &* columnSums[c]
                }
                padBytes.update(repeating: Int8(truncatingIfNeeded: zeroPoint), count: max(1, g.batches))
                let biasIsConstant = stage.biasIndex.map { tensors[$0].isConstant } ?? true
                adjustedFor = filterIsConstant && biasIsConstant ? zeroPoint : nil
            }
            let y = try ConvSupport.checked(tensors, outputIndex, UInt8.self, count: g.outputCount, node: node)
            let biasPointer = UnsafePointer(adjustedBias)
            try stage.withRequantization { (requantization) throws(InterpreterError) in
                guard let requantization else { throw node.failure("not prepared") }
                if channelShares > 1 {
                    try multiplyByChannels(tensors, source: source) { acc, accStride, pixels, share in
                        requantization.finish(acc + share.lowerBound, accStride: accStride, rows: pixels, bias: biasPointer,
                                              channels: share, outputStride: channels, output: UnsafeMutableRawPointer(y))
                    }
                    return
                }
                try multiply(tensors, source: source) { acc, accStride, first, count in
                    requantization.finish(acc, accStride: accStride, rows: count, bias: biasPointer, count: channels,
                                          output: UnsafeMutableRawPointer(y + first * channels))
                }
            }
        case .hybrid(let asymmetric):
            guard let staged, let batchOffsets = stage.batchOffsets, let batchScales = stage.batchScales else {
                throw node.failure("not prepared")
            }
            let x = try ConvSupport.checked(tensors, inputIndex, Float.self, count: g.inputCount, node: node)
            let batchSize = g.batches > 0 ? g.inputCount / g.batches : 0
            // A convolution that read the same tensor earlier in this run (an Inception module's
            // branches) quantized it already: the same bytes, scales and zero points.
            let shared = tensors.hybridInputs
            let quantized: UnsafePointer<Int8>
            if let entry = shared.lookup(inputIndex, data: x, count: g.inputCount, batches: g.batches, asymmetric: asymmetric) {
                quantized = entry.quantized
                batchScales.update(from: entry.scales, count: g.batches)
                batchOffsets.update(from: entry.offsets, count: g.batches)
            } else {
                stage.quantizeHybrid(x, batches: g.batches, batchSize: batchSize, into: staged)
                quantized = UnsafePointer(staged)
                shared.publish(inputIndex, data: x, count: g.inputCount, batches: g.batches, asymmetric: asymmetric,
                               quantized: quantized, scales: batchScales, offsets: batchOffsets)
            }
            for b in 0..<g.batches { padBytes[b] = Int8(truncatingIfNeeded: batchOffsets[b]) }
            let y = try ConvSupport.checked(tensors, outputIndex, Float.self, count: g.outputCount, node: node)
            let pixelsPerBatch = g.outputHeight * g.outputWidth
            let sums = UnsafePointer(columnSums)
            let floatBias = try stage.biasPointers(tensors).float
            // The direct path's sums are of x + 128 (tfl_direct_s8).
            let directOffset: Int32 = isDirect ? 128 : 0
            try stage.withHybridScaling { (scaling) throws(InterpreterError) in
                guard let scaling else { throw node.failure("not prepared") }
                if channelShares > 1 {
                    try multiplyByChannels(tensors, source: quantized) { acc, accStride, pixels, share in
                        let first = share.lowerBound
                        for pixel in 0..<pixels {
                            let batch = pixel / pixelsPerBatch
                            scaling.finish(acc + pixel * accStride + first, columnSums: sums, offset: batchOffsets[batch] &+ directOffset,
                                           bias: floatBias,
                                           channels: share, batch: batch, output: y + pixel * channels + first)
                        }
                    }
                    return
                }
                try multiply(tensors, source: quantized) { acc, accStride, first, count in
                    // The block's pixels, a run per batch.
                    var pixel = first
                    while pixel < first + count {
                        let batch = pixel / pixelsPerBatch
                        let run = min(first + count, (batch + 1) * pixelsPerBatch) - pixel
                        scaling.finish(acc + (pixel - first) * accStride, accStride: accStride, rows: run, columnSums: sums,
                                       offset: batchOffsets[batch] &+ directOffset, bias: floatBias, channels: 0..<channels, batch: batch,
                                       output: y + pixel * channels, outputStride: channels)
                        pixel += run
                    }
                }
            }
        default:
            throw node.failure("the dot-product path takes int8, uint8 and hybrid convolutions only")
        }
    }

    /// The GEMM over every output pixel (all in one block: the input itself when direct, else
    /// its patches gathered once) for each share of output channels, split over the pool; calls
    /// `finish(sums, sumsStride, pixels, channels)` for each share with the sums of all channels
    /// (only the share's are current).
    private func multiplyByChannels(_ tensors: TensorTable, source: UnsafePointer<Int8>,
                                    finish: (UnsafeMutablePointer<Int32>, Int, Int, Range<Int>) -> Void) throws(InterpreterError) {
        guard let accumulators, let padBytes else { throw node.failure("not prepared") }
        let g = geometry
        let pixels = patchLayout.pixels
        var source = source
        if !patchLayout.direct {
            guard let patches else { throw node.failure("not prepared") }
            patchLayout.forEachBlock(tensors, chunks: 1, source: source, padding: padBytes, scratch: patches) { _, _, _, _ in }
            source = UnsafePointer(patches)
        }
        let depth = self.depth, paddedChannels = self.paddedChannels
        if let sparse {
            try sparse.multiplyByChannels(tensors, x: source, pixels: pixels, shares: channelShares, accumulators: accumulators,
                                          accStride: paddedChannels) { share in
                finish(accumulators, paddedChannels, pixels, share)
            }
            return
        }
        guard let packed else { throw node.failure("not prepared") }
        let weights = UnsafePointer(packed)
        let format = self.format, weightZero = self.weightZero
        ConvSupport.forEachChannelShare(tensors, channels: g.outputDepth, shares: channelShares) { share in
            let first = share.lowerBound
            tfl_gemm_s8(accumulators + first, paddedChannels, source, depth, pixels, weights + tfl_gemm_s8_packed_size(depth, first, format),
                        depth, share.count, format, weightZero)
            finish(accumulators, paddedChannels, pixels, share)
        }
    }

    /// The GEMM over every output pixel, in blocks, split over the pool by groups of pixels; calls
    /// `finish(sums, sumsStride, firstPixel, count)` for each block with its pixels' sums Σ x·w
    /// (channel order, padded rows `sumsStride` apart).
    private func multiply(_ tensors: TensorTable, source: UnsafePointer<Int8>,
                          finish: (UnsafeMutablePointer<Int32>, Int, Int, Int) -> Void) throws(InterpreterError) {
        if let directStaged, let directPacked {
            try multiplyDirect(tensors, source: source, staged: directStaged, weights: UnsafePointer(directPacked), finish: finish)
            return
        }
        if let pixelStaged, let pixelPacked {
            try multiplyOverPixels(tensors, source: source, staged: pixelStaged, weights: UnsafePointer(pixelPacked), finish: finish)
            return
        }
        guard let accumulators, let padBytes else { throw node.failure("not prepared") }
        let channels = geometry.outputDepth
        let depth = self.depth
        let paddedChannels = self.paddedChannels
        let accumulatorStride = self.accumulatorStride
        if let sparse {
            // Pointwise only (the rows are the input's own).
            try sparse.multiply(tensors, x: source, pixels: patchLayout.pixels, chunks: chunks, accumulators: accumulators,
                                accumulatorStride: accumulatorStride, accStride: paddedChannels) { acc, first, count in
                finish(acc, paddedChannels, first, count)
            }
            return
        }
        guard let packed else { throw node.failure("not prepared") }
        let weights = UnsafePointer(packed)
        let format = self.format
        let weightZero = self.weightZero
        patchLayout.forEachBlock(tensors, chunks: chunks, source: source, padding: padBytes, scratch: patches) { chunk, first, count, rows in
            let acc = accumulators + chunk * accumulatorStride
            tfl_gemm_s8(acc, paddedChannels, rows, depth, count, weights, depth, channels, format, weightZero)
            finish(acc, paddedChannels, first, count)
        }
    }

    /// ``multiply(_:source:finish:)`` on the direct path: each image staged (bytes x + 128, the
    /// zero point's byte in the margins), then each output row's sums, split over the pool by
    /// rows. The input is int8 here, so its zero point is the one `padBytes` holds.
    private func multiplyDirect(_ tensors: TensorTable, source: UnsafePointer<Int8>, staged: UnsafeMutablePointer<UInt8>,
                                weights: UnsafePointer<Int8>,
                                finish: (UnsafeMutablePointer<Int32>, Int, Int, Int) -> Void) throws(InterpreterError) {
        guard let accumulators, let padBytes else { throw node.failure("not prepared") }
        let g = geometry
        let stagedCount = directStagedCount, accumulatorStride = self.accumulatorStride, paddedChannels = self.paddedChannels
        let imageCount = g.inputHeight * g.inputWidth * g.inputDepth
        withUnsafePointer(to: directLayout) { shape in
            for batch in 0..<g.batches {
                tfl_direct_s8_stage(staged + batch * stagedCount, source + batch * imageCount, Int32(padBytes[batch]), shape)
            }
            ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { chunk, rows in
                let acc = accumulators + chunk * accumulatorStride
                for row in rows {
                    tfl_direct_s8(acc, paddedChannels, staged + row / g.outputHeight * stagedCount, shape, row % g.outputHeight, weights,
                                  g.outputDepth)
                    finish(acc, paddedChannels, row * g.outputWidth, g.outputWidth)
                }
            }
        }
    }

    /// ``multiply(_:source:finish:)`` over output pixels: each image staged as int16 channel pairs
    /// (padding reading the batch's `padBytes`), then each output row's sums, split over the pool
    /// by rows.
    private func multiplyOverPixels(_ tensors: TensorTable, source: UnsafePointer<Int8>, staged: UnsafeMutablePointer<Int16>,
                                    weights: UnsafePointer<Int32>,
                                    finish: (UnsafeMutablePointer<Int32>, Int, Int, Int) -> Void) throws(InterpreterError) {
        guard let accumulators, let padBytes else { throw node.failure("not prepared") }
        let g = geometry
        let stagedCount = pixelStagedCount, accumulatorStride = self.accumulatorStride
        let imageCount = g.inputHeight * g.inputWidth * g.inputDepth
        let rowsPerImage = pixelLayout.rows
        withUnsafePointer(to: pixelLayout) { shape in
            PixelConv.forEachStagedRun(tensors, batches: g.batches, rowsPerImage: rowsPerImage, chunks: chunks) { batch, first, count in
                tfl_pixel_conv_stage_s8(staged + batch * stagedCount, source + batch * imageCount, shape, padBytes[batch], first, count)
            }
            ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { chunk, rows in
                let acc = accumulators + chunk * accumulatorStride
                for row in rows {
                    tfl_pixel_conv_s8(acc, staged + row / g.outputHeight * stagedCount, shape, row % g.outputHeight, weights, g.outputDepth)
                    finish(acc, g.outputDepth, row * g.outputWidth, g.outputWidth)
                }
            }
        }
    }
}
