import TFLiteModel

/// The options CONV_2D and DEPTHWISE_CONV_2D share (`Conv2DOptions`, `DepthwiseConv2DOptions`).
protocol ConvWindowOptions {
    var padding: Int8 { get }
    var strideW: Int32 { get }
    var strideH: Int32 { get }
    var fusedActivationFunction: Int8 { get }
    var dilationWFactor: Int32 { get }
    var dilationHFactor: Int32 { get }
    var hasStrideW: Bool { get }
    var hasStrideH: Bool { get }
}

extension Conv2DOptions: ConvWindowOptions {
    var hasStrideW: Bool { has(.strideW) }
    var hasStrideH: Bool { has(.strideH) }
}

extension DepthwiseConv2DOptions: ConvWindowOptions {
    var hasStrideW: Bool { has(.strideW) }
    var hasStrideH: Bool { has(.strideH) }
}

/// A convolution's window, checked once from its options: padding, strides, dilations and the
/// fused activation; it fills a `ConvGeometry` once the input and filter sizes are known.
struct ConvWindow {
    let padding: ConvPadding
    let strideWidth: Int
    let strideHeight: Int
    let dilationWidth: Int
    let dilationHeight: Int
    let activation: FusedActivation
    /// Padding a folded PAD moved here (``PadFolding``), in place of `padding`.
    let folded: PadFolding.Amounts?

    init(_ options: some ConvWindowOptions, _ node: Node) throws(InterpreterError) {
        padding = try ConvSupport.padding(options.padding, node)
        // An absent stride is 1 here (the schema's default, 0, is no stride).
        strideWidth = try ConvSupport.positive(options.hasStrideW ? options.strideW : 1, name: "stride_w", node)
        strideHeight = try ConvSupport.positive(options.hasStrideH ? options.strideH : 1, name: "stride_h", node)
        activation = try FusedActivation(raw: options.fusedActivationFunction, node: node)
        dilationWidth = try ConvSupport.positive(options.dilationWFactor, name: "dilation_w_factor", node)
        dilationHeight = try ConvSupport.positive(options.dilationHFactor, name: "dilation_h_factor", node)
        folded = node.foldedPadding
    }

    /// Sets `g`'s strides, dilations, output size and padding from its input and filter sizes.
    /// With a folded PAD: the VALID output of the padded input, read with the PAD's leading amounts.
    func place(_ g: inout ConvGeometry) {
        g.strideHeight = strideHeight
        g.strideWidth = strideWidth
        g.dilationHeight = dilationHeight
        g.dilationWidth = dilationWidth
        if let folded {
            let h = ConvAxis(padding: .valid, inputSize: g.inputHeight + folded.top + folded.bottom, filterSize: g.filterHeight,
                             stride: strideHeight, dilation: dilationHeight)
            let w = ConvAxis(padding: .valid, inputSize: g.inputWidth + folded.left + folded.right, filterSize: g.filterWidth,
                             stride: strideWidth, dilation: dilationWidth)
            g.outputHeight = h.outputSize
            g.outputWidth = w.outputSize
            g.paddingHeight = folded.top
            g.paddingWidth = folded.left
            return
        }
        let h = ConvAxis(padding: padding, inputSize: g.inputHeight, filterSize: g.filterHeight, stride: strideHeight, dilation: dilationHeight)
        let w = ConvAxis(padding: padding, inputSize: g.inputWidth, filterSize: g.filterWidth, stride: strideWidth, dilation: dilationWidth)
        g.outputHeight = h.outputSize
        g.outputWidth = w.outputSize
        g.paddingHeight = h.padding
        g.paddingWidth = w.padding
    }
}
