import CTFLiteKernels
import TFLiteModel

/// The staged images of the direct convolutions (`tfl_direct_s8`, `tfl_direct_f32`): each input
/// image copied once per run inside padding margins, so every filter tap of an output row is read
/// from it without im2col. One layout for both element types.
struct DirectStaging<Element> {
    /// The C geometry, its staged size set (`tfl_direct_s8_layout`).
    let layout: tfl_direct_geometry
    /// Elements of one staged image.
    let perImage: Int
    /// Every batch's staged image, `perImage` apart.
    let images: UnsafeMutablePointer<Element>

    /// Allocates the staged images of `g`'s batches; `perImage` gives one image's element count
    /// for the layout (`tfl_direct_s8_staged_size` or `tfl_direct_f32_staged_count`).
    init(_ tensors: TensorTable, geometry g: ConvGeometry, perImage: (UnsafePointer<tfl_direct_geometry>) -> Int,
         node: Node) throws(InterpreterError) {
        var layout = tfl_direct_geometry(in_h: g.inputHeight, in_w: g.inputWidth, depth: g.inputDepth, filter_h: g.filterHeight,
                                         filter_w: g.filterWidth, stride_h: g.strideHeight, stride_w: g.strideWidth,
                                         dilation_h: g.dilationHeight, dilation_w: g.dilationWidth, pad_h: g.paddingHeight,
                                         pad_w: g.paddingWidth, out_h: g.outputHeight, out_w: g.outputWidth, rows: 0, width: 0)
        tfl_direct_s8_layout(&layout)
        let count = withUnsafePointer(to: layout) { perImage($0) }
        let (total, overflow) = count.multipliedReportingOverflow(by: max(g.batches, 1))
        if overflow { throw node.invalid("scratch size overflows") }
        try tensors.checkWork(total, node: node)
        self.layout = layout
        self.perImage = count
        images = try ConvSupport.persistent(tensors, Element.self, count: total, node: node)
    }
}
