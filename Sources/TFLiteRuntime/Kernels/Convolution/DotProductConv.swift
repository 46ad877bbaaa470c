import CTFLiteKernels
import TFLiteModel

/// int8 and hybrid CONV_2D as an unsigned × signed 8-bit GEMM on CPUs with 4-way 8-bit dot products (`tfl_gemm_u8s8`, AVX-512 VNNI).
///
/// The kernel reads the int8 input as `x + 128` (unsigned); the weights stay 8-bit, packed at
/// prepare. Since Σ (x − zp)·w = Σ (x + 128)·w − (128 + zp)·Σw, the correction is folded into the
/// bias, and padding taps read `zp` (so `zp + 128` once flipped) and contribute nothing, as in LiteRT. Sums are
/// exact (wrapping) int32, so outputs are bit-identical to the int16 path and to LiteRT.
///
/// Output pixels go in blocks: a pointwise convolution (1×1, stride 1, no padding) reads its
/// pixels straight from the input tensor; any other convolution first gathers each block's
/// patches (im2col) into per-thread scratch.
final class DotProductConv {
    /// Output pixels gathered and multiplied at once.
    static let blockPixels = 32

    /// Whether this CPU runs the dot-product GEMM in vector code.
    static var isAvailable: Bool { tfl_gemm_u8s8_available() != 0 }

    private let node: Node
    private var geometry = ConvGeometry()
    private var depth = 0
    private var paddedChannels = 0
    private var chunks = 1
    private var direct = false
    private var filterIndex = 0
    private var filterIsConstant = false
    private var packed: UnsafeMutablePointer<Int8>?
    private var columnSums: UnsafeMutablePointer<Int32>?
    private var adjustedBias: UnsafeMutablePointer<Int32>?
    private var patches: UnsafeMutablePointer<Int8>?
    /// Per batch: the input zero point, which padding taps read.
    private var padBytes: UnsafeMutablePointer<Int8>?
    /// Hybrid: the float input quantized per batch.
    private var quantized: UnsafeMutablePointer<Int8>?
    private var accumulators: UnsafeMutablePointer<Int32>?

    init(node: Node) { self.node = node }

    /// Allocates packed weights and scratch for `geometry`; packs a constant filter
    /// (`[outputDepth][filterHeight][filterWidth][inputDepth]` int8).
    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, hybrid: Bool) throws(InterpreterError) {
        geometry = g
        self.filterIndex = filterIndex
        depth = g.taps * g.inputDepth
        let channels = g.outputDepth
        paddedChannels = (channels + 15) / 16 * 16
        let filter = tensors[filterIndex]
        guard filter.elementCount == channels * depth else {
            throw node.invalid("filter has \(filter.elementCount) values, \(channels * depth) expected")
        }
        direct = g.filterHeight == 1 && g.filterWidth == 1 && g.strideHeight == 1 && g.strideWidth == 1
            && g.paddingHeight == 0 && g.paddingWidth == 0 && g.inputHeight == g.outputHeight && g.inputWidth == g.outputWidth
        packed = try ConvSupport.persistent(tensors, Int8.self, count: tfl_gemm_u8s8_packed_size(depth, channels), node: node)
        columnSums = try ConvSupport.persistent(tensors, Int32.self, count: channels, node: node)
        adjustedBias = try ConvSupport.persistent(tensors, Int32.self, count: channels, node: node)
        padBytes = try ConvSupport.persistent(tensors, Int8.self, count: g.batches, node: node)
        quantized = hybrid ? try ConvSupport.persistent(tensors, Int8.self, count: g.inputCount, node: node) : nil
        chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight)
        let block = Self.blockPixels
        patches = direct ? nil : try ConvSupport.persistent(tensors, Int8.self, count: chunks * block * depth, node: node)
        accumulators = try ConvSupport.persistent(tensors, Int32.self, count: chunks * block * paddedChannels, node: node)
        filterIsConstant = filter.isConstant
        if filterIsConstant { try pack(tensors) }
    }

    private func pack(_ tensors: TensorTable) throws(InterpreterError) {
        guard let packed, let columnSums else { throw node.failure("not prepared") }
        let channels = geometry.outputDepth
        let weights = try ConvSupport.checked(tensors[filterIndex], Int8.self, count: channels * depth, node: node)
        tfl_gemm_u8s8_pack(weights, channels, depth, packed, columnSums)
    }

    /// Computes the output: int8 (requantized), or float for hybrid mode (the float input
    /// quantized per batch first, as LiteRT's hybrid kernels do).
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        if !filterIsConstant { try pack(tensors) }
        guard let columnSums, let adjustedBias, let padBytes else { throw node.failure("not prepared") }
        let g = geometry
        let channels = g.outputDepth
        let bias = try stage.biasPointers(tensors)
        switch stage.mode {
        case .int8:
            let source = UnsafePointer(try ConvSupport.checked(input, Int8.self, count: g.inputCount, node: node))
            let zeroPoint = input.zeroPoint
            let correction = 128 &+ zeroPoint
            for c in 0..<channels {
                adjustedBias[c] = (bias.int32?[c] ?? 0) &- correction &* columnSums[c]
            }
            padBytes.update(repeating: Int8(truncatingIfNeeded: zeroPoint), count: max(1, g.batches))
            let y = try ConvSupport.checked(output, UInt8.self, count: g.outputCount, node: node)
            let biasPointer = UnsafePointer(adjustedBias)
            try stage.withRequantization { (requantization) throws(InterpreterError) in
                guard let requantization else { throw node.failure("not prepared") }
                try multiply(tensors, source: source) { acc, pixel in
                    requantization.finish(acc, bias: biasPointer, count: channels, output: UnsafeMutableRawPointer(y + pixel * channels))
                }
            }
        case .hybrid:
            guard let quantized, let batchOffsets = stage.batchOffsets else { throw node.failure("not prepared") }
            let x = try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node)
            let batchSize = g.batches > 0 ? g.inputCount / g.batches : 0
            stage.quantizeHybrid(x, batches: g.batches, batchSize: batchSize, into: quantized)
            for b in 0..<g.batches { padBytes[b] = Int8(truncatingIfNeeded: batchOffsets[b]) }
            let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
            let pixelsPerBatch = g.outputHeight * g.outputWidth
            let sums = UnsafePointer(columnSums)
            let floatBias = bias.float
            try multiply(tensors, source: UnsafePointer(quantized)) { acc, pixel in
                let batch = pixel / pixelsPerBatch
                stage.finishHybrid(acc, columnSums: sums, offset: 128 &+ batchOffsets[batch], bias: floatBias, channelStart: 0,
                                   count: channels, batch: batch, output: y + pixel * channels)
            }
        default:
            throw node.failure("the dot-product path takes int8 and hybrid convolutions only")
        }
    }

    /// The GEMM over every output pixel, in blocks, split over the pool by output rows; calls
    /// `finish(sums, pixel)` with each pixel's sums over `x + 128` (channel order, padded).
    private func multiply(_ tensors: TensorTable, source: UnsafePointer<Int8>,
                          finish: (UnsafeMutablePointer<Int32>, Int) -> Void) throws(InterpreterError) {
        guard let packed, let accumulators, let padBytes else { throw node.failure("not prepared") }
        let g = geometry
        let channels = g.outputDepth
        let rows = g.batches * g.outputHeight
        let depth = self.depth
        let paddedChannels = self.paddedChannels
        let direct = self.direct
        let patches = self.patches
        let block = Self.blockPixels
        let weights = UnsafePointer(packed)
        let pads = UnsafePointer(padBytes)
        ConvSupport.forEachChunk(tensors, rows: rows, chunks: chunks) { chunk, range in
            let acc = accumulators + chunk * block * paddedChannels
            let scratch = patches.map { $0 + chunk * block * depth }
            var pixel = range.lowerBound * g.outputWidth
            let end = range.upperBound * g.outputWidth
            while pixel < end {
                let count = min(block, end - pixel)
                let rowsPointer: UnsafePointer<Int8>
                if direct {
                    rowsPointer = source + pixel * depth
                } else if let scratch {
                    Self.gather(g, source: source, pixels: pixel..<(pixel + count), padBytes: pads, into: scratch)
                    rowsPointer = UnsafePointer(scratch)
                } else {
                    return
                }
                tfl_gemm_u8s8(acc, paddedChannels, rowsPointer, depth, count, weights, depth, channels)
                for p in 0..<count { finish(acc + p * paddedChannels, pixel + p) }
                pixel += count
            }
        }
    }

    /// im2col: the patch of each output pixel in `pixels` (flat over batch, row, column), in the
    /// filter's `[ky][kx][inputDepth]` order, with out-of-bounds taps set to `padByte`.
    private static func gather(_ g: ConvGeometry, source: UnsafePointer<Int8>, pixels: Range<Int>, padBytes: UnsafePointer<Int8>,
                               into target: UnsafeMutablePointer<Int8>) {
        let depth = g.inputDepth
        let rowBytes = g.filterWidth * depth
        var out = target
        for pixel in pixels {
            let outX = pixel % g.outputWidth
            let row = pixel / g.outputWidth
            let batch = row / g.outputHeight
            let outY = row % g.outputHeight
            let padByte = padBytes[batch]
            let originY = outY * g.strideHeight - g.paddingHeight
            let originX = outX * g.strideWidth - g.paddingWidth
            let image = source + batch * g.inputHeight * g.inputWidth * depth
            for ky in 0..<g.filterHeight {
                let inY = originY + ky * g.dilationHeight
                if inY < 0 || inY >= g.inputHeight {
                    out.update(repeating: padByte, count: rowBytes)
                    out += rowBytes
                    continue
                }
                if g.dilationWidth == 1 {
                    let kx0 = max(0, -originX), kx1 = max(kx0, min(g.filterWidth, g.inputWidth - originX))
                    if kx0 > 0 { out.update(repeating: padByte, count: kx0 * depth) }
                    if kx1 > kx0 {
                        (out + kx0 * depth).update(from: image + (inY * g.inputWidth + originX + kx0) * depth, count: (kx1 - kx0) * depth)
                    }
                    if kx1 < g.filterWidth { (out + kx1 * depth).update(repeating: padByte, count: (g.filterWidth - kx1) * depth) }
                } else {
                    for kx in 0..<g.filterWidth {
                        let inX = originX + kx * g.dilationWidth
                        if inX < 0 || inX >= g.inputWidth {
                            (out + kx * depth).update(repeating: padByte, count: depth)
                        } else {
                            (out + kx * depth).update(from: image + (inY * g.inputWidth + inX) * depth, count: depth)
                        }
                    }
                }
                out += rowBytes
            }
        }
    }
}
