import CTFLiteKernels
import TFLiteModel

/// float32 CONV_2D with few output channels and a filter wider than one pixel, computed over
/// output pixels (`tfl_pixel_conv_f32`): style transfer's last 9 × 9 convolution (16 → 3
/// channels) leaves 13 of every 16 lanes of the packed GEMM idle and spends as long writing its
/// im2col patches as multiplying them. Here each image is staged once per run as rows of channel
/// planes with zero margins, and each vector holds 16 neighbouring output pixels. The sums are
/// those of ``FloatGEMMConv`` bit for bit (fused multiply-adds from zero in the filter's order,
/// padding taps reading zeros, then bias and clamp).
final class PixelConv {
    /// Whether `geometry` suits this path: one group, stride 1 along rows, a filter wider than one
    /// pixel, at most `TFL_PIXEL_CONV_MAX_CHANNELS` output channels (half the packed GEMM's
    /// 16-channel block or less) and rows of at least 8 pixels.
    static func suits(_ g: ConvGeometry, groups: Int) -> Bool {
        groups == 1 && g.strideWidth == 1 && g.taps > 1 && g.outputDepth >= 1
            && g.outputDepth <= TFL_PIXEL_CONV_MAX_CHANNELS && g.outputWidth >= 8
    }

    /// The staged layout for `g`.
    static func layout(_ g: ConvGeometry) -> tfl_pixel_conv_geometry {
        var layout = tfl_pixel_conv_geometry(in_h: g.inputHeight, in_w: g.inputWidth, depth: g.inputDepth, filter_h: g.filterHeight,
                                             filter_w: g.filterWidth, stride_h: g.strideHeight, dilation_h: g.dilationHeight,
                                             dilation_w: g.dilationWidth, pad_h: g.paddingHeight, pad_w: g.paddingWidth,
                                             out_h: g.outputHeight, out_w: g.outputWidth, rows: 0, width: 0)
        tfl_pixel_conv_layout(&layout)
        return layout
    }

    /// Splits the staged rows of `batches` images over the pool: `body(batch, firstRow, count)`
    /// for runs of rows within one image.
    @inline(__always)
    static func forEachStagedRun(_ tensors: TensorTable, batches: Int, rowsPerImage: Int, chunks: Int,
                                 _ body: (Int, Int, Int) -> Void) {
        ConvSupport.forEachChunk(tensors, rows: batches * rowsPerImage, chunks: chunks) { _, rows in
            var row = rows.lowerBound
            while row < rows.upperBound {
                let batch = row / rowsPerImage, first = row % rowsPerImage
                let count = min(rows.upperBound - row, rowsPerImage - first)
                body(batch, first, count)
                row += count
            }
        }
    }

    private let node: Node
    private var geometry = ConvGeometry()
    private var layout = tfl_pixel_conv_geometry()
    private var stagedCount = 0
    private var chunks = 1
    private var filterIndex = 0
    private var filterIsConstant = false
    private var packed: UnsafeMutablePointer<Float>?
    private var staged: UnsafeMutablePointer<Float>?

    init(node: Node) { self.node = node }

    /// Allocates the staged images and packed weights for `geometry`; packs a constant filter
    /// (`[outputDepth][filterHeight][filterWidth][inputDepth]` float32).
    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int) throws(InterpreterError) {
        geometry = g
        self.filterIndex = filterIndex
        let depth = g.taps * g.inputDepth
        let filter = tensors[filterIndex]
        guard filter.elementCount == g.outputDepth * depth else {
            throw node.invalid("filter has \(filter.elementCount) values, \(g.outputDepth * depth) expected")
        }
        layout = Self.layout(g)
        let (count, overflow) = layout.rows.multipliedReportingOverflow(by: layout.width)
        let (perImage, overflow2) = count.multipliedReportingOverflow(by: g.inputDepth)
        let (total, overflow3) = perImage.multipliedReportingOverflow(by: max(g.batches, 1))
        if overflow || overflow2 || overflow3 { throw node.invalid("scratch size overflows") }
        try tensors.checkWork(total, node: node)
        stagedCount = perImage
        staged = try ConvSupport.persistent(tensors, Float.self, count: total, node: node)
        packed = try ConvSupport.persistent(tensors, Float.self, count: g.outputDepth * depth, node: node)
        chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight, work: g.outputCount * depth)
        filterIsConstant = filter.isConstant
        if filterIsConstant { try pack(tensors) }
    }

    private func pack(_ tensors: TensorTable) throws(InterpreterError) {
        guard let packed else { throw node.failure("not prepared") }
        let g = geometry
        let depth = g.taps * g.inputDepth
        let weights = try ConvSupport.checked(tensors[filterIndex], Float.self, count: g.outputDepth * depth, node: node)
        tfl_pixel_conv_pack_f32(weights, g.outputDepth, depth, packed)
    }

    /// Computes the float32 output.
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        if !filterIsConstant { try pack(tensors) }
        guard let packed, let staged else { throw node.failure("not prepared") }
        let g = geometry
        let source = UnsafePointer(try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node))
        let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
        let bias = try stage.biasPointers(tensors).float
        let low = stage.floatMin, high = stage.floatMax
        let weights = UnsafePointer(packed)
        let stagedCount = self.stagedCount
        let imageCount = g.inputHeight * g.inputWidth * g.inputDepth
        let rowsPerImage = layout.rows
        let rowOutputs = g.outputWidth * g.outputDepth
        withUnsafePointer(to: layout) { shape in
            Self.forEachStagedRun(tensors, batches: g.batches, rowsPerImage: rowsPerImage, chunks: chunks) { batch, first, count in
                tfl_pixel_conv_stage_f32(staged + batch * stagedCount, source + batch * imageCount, shape, first, count)
            }
            ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { _, rows in
                for row in rows {
                    let batch = row / g.outputHeight
                    tfl_pixel_conv_f32(y + row * rowOutputs, staged + batch * stagedCount, shape, row % g.outputHeight, weights,
                                       g.outputDepth, bias, low, high)
                }
            }
        }
    }
}
