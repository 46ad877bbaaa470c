import TFLiteModel

/// MediaPipe's `MaxUnpooling2D` (float32, NHWC): the inverse of `MaxPoolingWithArgmax2D`.
///
/// Inputs: values and positions (both `[batch, height, width, channels]`, positions as floats,
/// truncated to integers). The output, `[batch, height × filter_height, width × filter_width,
/// channels]` (the size counts filters, not strides, as MediaPipe does), starts at zero; each
/// input value goes to its window's origin (`input position × stride − padding`) plus its
/// position's row (`position / filter_width`) and column (`position % filter_width`). Writes
/// run in input order, so a later value overwrites an earlier one at the same place; a position
/// that lands outside the output (or is not a finite float in int32 range) is skipped. The
/// padding is MAX_POOL_2D's for the output size (MediaPipe ignores the padding option here);
/// the fused activation is ignored, as MediaPipe does.
final class MaxUnpoolingOperator: MediaPipeOperator {
    private var geometry = ConvGeometry()

    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput] {
        try MediaPipeSupport.expect(node, inputs: 2, outputs: 1)
        let options = try MediaPipePoolOptions(node.customOptions)
        let input = try MediaPipeSupport.floatInput(node, 0, rank: 4, name: "input")
        let positions = try MediaPipeSupport.floatInput(node, 1, rank: 4, name: "indices")
        guard positions.shape == input.shape else {
            throw .invalid("indices shape \(positions.shape) differs from the input shape \(input.shape)")
        }
        var g = options.geometry(input: input.shape)
        let (height, overflowH) = g.inputHeight.multipliedReportingOverflow(by: g.filterHeight)
        let (width, overflowW) = g.inputWidth.multipliedReportingOverflow(by: g.filterWidth)
        guard !overflowH, !overflowW else { throw .invalid("output of \(input.shape) is too large") }
        (g.outputHeight, g.outputWidth) = (height, width)
        g.paddingHeight = Self.padding(input: g.inputHeight, stride: g.strideHeight, filter: g.filterHeight, output: height)
        g.paddingWidth = Self.padding(input: g.inputWidth, stride: g.strideWidth, filter: g.filterWidth, output: width)
        let output = try MediaPipeSupport.floatOutput(node, 0, shape: [g.batches, height, width, g.outputDepth])
        geometry = g
        return [output]
    }

    /// LiteRT's `ComputePadding` with the pooled size as the window count and the unpooled
    /// size as the image: half the overhang, at least zero.
    private static func padding(input: Int, stride: Int, filter: Int, output: Int) -> Int {
        let (span, overflow) = max(0, input - 1).multipliedReportingOverflow(by: stride)
        guard !overflow else { return 0 }
        return max(0, (span + filter - output) / 2)
    }

    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        let g = geometry
        guard g.outputCount > 0 else { return }
        let y = try MediaPipeSupport.floats(outputs[0], count: g.outputCount)
        guard g.inputCount > 0 else {
            y.update(repeating: 0, count: g.outputCount)
            return
        }
        let x = try MediaPipeSupport.floats(inputs[0], count: g.inputCount)
        let positions = try MediaPipeSupport.floats(inputs[1], count: g.inputCount)
        y.update(repeating: 0, count: g.outputCount)
        for batch in 0..<g.batches {
            for inY in 0..<g.inputHeight {
                for inX in 0..<g.inputWidth {
                    let from = ((batch * g.inputHeight + inY) * g.inputWidth + inX) * g.inputDepth
                    for channel in 0..<g.inputDepth {
                        let raw = positions[from + channel]
                        // C++ truncates the float; values it cannot represent are skipped here.
                        guard raw.isFinite, raw > -2_147_483_649, raw < 2_147_483_648 else { continue }
                        let position = Int(raw)
                        let outX = inX * g.strideWidth - g.paddingWidth + position % g.filterWidth
                        let outY = inY * g.strideHeight - g.paddingHeight + position / g.filterWidth
                        guard outX >= 0, outX < g.outputWidth, outY >= 0, outY < g.outputHeight else { continue }
                        y[((batch * g.outputHeight + outY) * g.outputWidth + outX) * g.outputDepth + channel] = x[from + channel]
                    }
                }
            }
        }
    }
}
