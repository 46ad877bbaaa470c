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
    static var blockPixels: Int { 32 }

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

    /// Scratch values needed for `chunks` threads (0 when direct).
    func scratchCount(chunks: Int) -> Int { direct ? 0 : chunks * Self.blockPixels * depth }

    /// Calls `body(chunk, firstPixel, count, rows)` for every block of output pixels, split over
    /// the pool by output rows; `rows` holds `count` patches of `depth` values each.
    @inline(__always)
    func forEachBlock(_ tensors: TensorTable, chunks: Int, source: UnsafePointer<Element>, padding: UnsafePointer<Element>,
                      scratch: UnsafeMutablePointer<Element>?, _ body: (Int, Int, Int, UnsafePointer<Element>) -> Void) {
        let g = geometry
        let block = Self.blockPixels
        let depth = self.depth
        let direct = self.direct
        ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { chunk, range in
            let patches = scratch.map { $0 + chunk * block * depth }
            var pixel = range.lowerBound * g.outputWidth
            let end = range.upperBound * g.outputWidth
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

    /// im2col for the output pixels in `pixels` (flat over batch, row, column).
    private func gather(source: UnsafePointer<Element>, pixels: Range<Int>, padding: UnsafePointer<Element>,
                        into target: UnsafeMutablePointer<Element>) {
        let g = geometry
        let depth = g.inputDepth
        let rowCount = g.filterWidth * depth
        var out = target
        guard g.outputWidth > 0, g.outputHeight > 0, let first = pixels.first else { return }
        // Position of the first pixel; then stepped along without divisions.
        var outX = first % g.outputWidth
        var batch = first / g.outputWidth / g.outputHeight
        var outY = first / g.outputWidth % g.outputHeight
        for _ in pixels {
            defer {
                outX += 1
                if outX == g.outputWidth {
                    outX = 0
                    outY += 1
                    if outY == g.outputHeight { outY = 0; batch += 1 }
                }
            }
            let pad = padding[batch]
            let originY = outY * g.strideHeight - g.paddingHeight
            let originX = outX * g.strideWidth - g.paddingWidth
            let image = source + batch * g.inputHeight * g.inputWidth * depth
            for ky in 0..<g.filterHeight {
                let inY = originY + ky * g.dilationHeight
                if inY < 0 || inY >= g.inputHeight {
                    out.update(repeating: pad, count: rowCount)
                    out += rowCount
                    continue
                }
                if g.dilationWidth == 1 {
                    let kx0 = max(0, -originX), kx1 = max(kx0, min(g.filterWidth, g.inputWidth - originX))
                    if kx0 > 0 { out.update(repeating: pad, count: kx0 * depth) }
                    if kx1 > kx0 {
                        let from = image + (inY * g.inputWidth + originX + kx0) * depth, to = out + kx0 * depth
                        let n = (kx1 - kx0) * depth
                        // Short runs (thin inputs such as an image's few channels) copy faster
                        // element by element than through memmove.
                        if n <= 32 {
                            for k in 0..<n { to[k] = from[k] }
                        } else {
                            to.update(from: from, count: n)
                        }
                    }
                    if kx1 < g.filterWidth { (out + kx1 * depth).update(repeating: pad, count: (g.filterWidth - kx1) * depth) }
                } else {
                    for kx in 0..<g.filterWidth {
                        let inX = originX + kx * g.dilationWidth
                        if inX < 0 || inX >= g.inputWidth {
                            (out + kx * depth).update(repeating: pad, count: depth)
                        } else {
                            (out + kx * depth).update(from: image + (inY * g.inputWidth + inX) * depth, count: depth)
                        }
                    }
                }
                out += rowCount
            }
        }
    }
}
