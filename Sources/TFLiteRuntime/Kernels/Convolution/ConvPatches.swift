import CTFLiteKernels
import TFLiteModel

/// A convolution's output pixels in blocks, each block's input patches laid out as GEMM rows
/// (`taps × inputDepth` values per pixel, in the filter's `[ky][kx][inputDepth]` order).
///
/// A pointwise convolution (1×1, stride 1, no padding) reads its rows straight from the input
/// tensor; any other gathers each block's patches (im2col) into per-thread scratch, with
/// out-of-bounds taps set to the pixel's batch's padding value (0 for float, the input zero
/// point for quantized data, which both contribute nothing).
struct ConvPatches<Element> {
    /// Output pixels gathered and multiplied at once.
    static var blockPixels: Int { 36 }

    let geometry: ConvGeometry
    /// Values per patch: `taps × inputDepth`.
    let depth: Int
    /// Whether patches are the input's own pixels.
    let direct: Bool

    init(geometry g: ConvGeometry) {
        geometry = g
        depth = g.taps * g.inputDepth
        direct = g.filterHeight == 1 && g.filterWidth == 1 && g.strideHeight == 1 && g.strideWidth == 1
            && g.paddingHeight == 0 && g.paddingWidth == 0 && g.inputHeight == g.outputHeight && g.inputWidth == g.outputWidth
    }

    /// Scratch values per thread: one block's patches (``ConvSupport/slotStride(_:of:slots:)``).
    private func chunkStride(_ chunks: Int) -> Int { ConvSupport.slotStride(Self.blockPixels * depth, of: Element.self, slots: chunks) }

    /// Per-thread scratch for `chunks` threads (nil when direct).
    func scratch(_ tensors: TensorTable, chunks: Int, node: Node) throws(InterpreterError) -> UnsafeMutablePointer<Element>? {
        direct ? nil : try ConvSupport.slots(tensors, Element.self, stride: chunkStride(chunks), slots: chunks, node: node)
    }

    /// Output pixels a thread's share is a multiple of (the GEMMs' tile height).
    static var pixelGroup: Int { 4 }

    /// Groups of ``pixelGroup`` output pixels (the last may be short): the units the pool splits.
    /// Pixels, not rows: a 7 × 7 output splits 24 + 25, where rows would split 3 + 4.
    var pixelGroups: Int { (pixels + Self.pixelGroup - 1) / Self.pixelGroup }

    /// Output pixels over every batch.
    var pixels: Int { geometry.batches * geometry.outputHeight * geometry.outputWidth }

    /// Shares of output channels for the pool (``ConvSupport/channelShares(_:pixelChunks:channels:work:)``)
    /// where the pixels do not split and all fit in one direct block, so a share multiplies them
    /// all straight from the input; 1 otherwise.
    func channelShares(_ tensors: TensorTable, pixelChunks: Int, work: Int) -> Int {
        guard direct, pixels <= Self.blockPixels else { return 1 }
        return ConvSupport.channelShares(tensors, pixelChunks: pixelChunks, channels: geometry.outputDepth, work: work)
    }

    /// Calls `body(chunk, firstPixel, count, rows)` for every block of output pixels, split over
    /// the pool by ``pixelGroups``; `rows` holds `count` patches of `depth` values each.
    @inline(__always)
    func forEachBlock(_ tensors: TensorTable, chunks: Int, source: UnsafePointer<Element>, padding: UnsafePointer<Element>,
                      scratch: UnsafeMutablePointer<Element>?, _ body: (Int, Int, Int, UnsafePointer<Element>) -> Void) {
        let block = Self.blockPixels
        let depth = self.depth
        let direct = self.direct
        let chunkStride = self.chunkStride(chunks)
        let pixels = self.pixels
        let group = Self.pixelGroup
        ConvSupport.forEachChunk(tensors, rows: pixelGroups, chunks: chunks) { chunk, range in
            let patches = scratch.map { $0 + chunk * chunkStride }
            var pixel = range.lowerBound * group
            let end = min(range.upperBound * group, pixels)
            while pixel < end {
                let count = min(block, end - pixel)
                if direct {
                    body(chunk, pixel, count, source + pixel * depth)
                } else if let patches {
                    gather(source: source, pixels: pixel..<(pixel + count), padding: padding, into: patches)
                    body(chunk, pixel, count, UnsafePointer(patches))
                } else {
                    return
                }
                pixel += count
            }
        }
    }

    /// im2col for the output pixels in `pixels` (`tfl_im2col`).
    private func gather(source: UnsafePointer<Element>, pixels: Range<Int>, padding: UnsafePointer<Element>,
                        into target: UnsafeMutablePointer<Element>) {
        var shape = im2colGeometry
        tfl_im2col(target, source, MemoryLayout<Element>.stride, &shape, pixels.lowerBound, pixels.count, padding)
    }

    private var im2colGeometry: tfl_im2col_geometry {
        let g = geometry
        return tfl_im2col_geometry(in_h: g.inputHeight, in_w: g.inputWidth, depth: g.inputDepth, filter_h: g.filterHeight,
                                   filter_w: g.filterWidth, stride_h: g.strideHeight, stride_w: g.strideWidth,
                                   dilation_h: g.dilationHeight, dilation_w: g.dilationWidth, pad_h: g.paddingHeight,
                                   pad_w: g.paddingWidth, out_h: g.outputHeight, out_w: g.outputWidth)
    }
}
