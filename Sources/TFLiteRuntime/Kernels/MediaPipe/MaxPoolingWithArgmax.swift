import TFLiteModel

/// MediaPipe's `MaxPoolingWithArgmax2D` (float32, NHWC): MAX_POOL_2D that also outputs where
/// each maximum came from.
///
/// Outputs: the pooled values (clamped to the fused activation's range) and, per output value,
/// its position inside its window as a float, `row × filter_width + column + 0.1` (the 0.1
/// makes the float → int truncation in `MaxUnpooling2D` exact). The window's first strictly
/// greatest value wins; a window with no value above the lowest float reports position 0.
/// Window rows and columns count from the window's unclipped origin, so padding shifts them.
/// Output size and padding as MAX_POOL_2D (options: ``MediaPipePoolOptions``).
final class MaxPoolingWithArgmaxOperator: MediaPipeOperator {
    private var options: MediaPipePoolOptions?
    private var geometry = ConvGeometry()

    /// Each output reads its window: a window as large as the image is quadratic work.
    var workUnits: Int {
        let g = geometry
        return MediaPipeSupport.product(g.batches, g.outputHeight, g.outputWidth, g.outputDepth, min(g.filterHeight, max(1, g.inputHeight)),
                                        min(g.filterWidth, max(1, g.inputWidth)), Interpreter.Options.elementWork)
    }

    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput] {
        try MediaPipeSupport.expect(node, inputs: 1, outputs: 2)
        let options = try MediaPipePoolOptions(node.customOptions)
        let input = try MediaPipeSupport.floatInput(node, 0, rank: 4, name: "input")
        var g = options.geometry(input: input.shape)
        let h = ConvAxis(padding: options.padding, inputSize: g.inputHeight, filterSize: g.filterHeight, stride: g.strideHeight, dilation: 1)
        let w = ConvAxis(padding: options.padding, inputSize: g.inputWidth, filterSize: g.filterWidth, stride: g.strideWidth, dilation: 1)
        (g.outputHeight, g.paddingHeight) = (h.outputSize, h.padding)
        (g.outputWidth, g.paddingWidth) = (w.outputSize, w.padding)
        (geometry, self.options) = (g, options)
        let shape = [g.batches, g.outputHeight, g.outputWidth, g.outputDepth]
        return [try MediaPipeSupport.floatOutput(node, 0, shape: shape), try MediaPipeSupport.floatOutput(node, 1, shape: shape)]
    }

    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        let g = geometry
        guard let options, g.outputCount > 0 else { return }
        let x = try MediaPipeSupport.floats(inputs[0], count: g.inputCount)
        let y = try MediaPipeSupport.floats(outputs[0], count: g.outputCount)
        let positions = try MediaPipeSupport.floats(outputs[1], count: g.outputCount)
        let (low, high) = (options.low, options.high)
        let (xs, ys, ps) = (UnsafeSendable(x), UnsafeSendable(y), UnsafeSendable(positions))
        threads.parallelFor(g.batches * g.outputHeight) { rows in
            let (x, y, positions) = (xs.value, ys.value, ps.value)
            for row in rows {
                let batch = row / g.outputHeight, outY = row % g.outputHeight
                let originY = outY * g.strideHeight - g.paddingHeight
                let fy0 = max(0, -originY), fy1 = min(g.filterHeight, g.inputHeight - originY)
                for outX in 0..<g.outputWidth {
                    let originX = outX * g.strideWidth - g.paddingWidth
                    let fx0 = max(0, -originX), fx1 = min(g.filterWidth, g.inputWidth - originX)
                    let out = (row * g.outputWidth + outX) * g.outputDepth
                    for channel in 0..<g.outputDepth {
                        var best = -Float.greatestFiniteMagnitude
                        var at = 0
                        var fy = fy0
                        while fy < fy1 {
                            var fx = fx0
                            while fx < fx1 {
                                let value = x[((batch * g.inputHeight + originY + fy) * g.inputWidth + originX + fx) * g.inputDepth + channel]
                                if value > best { (best, at) = (value, fy * g.filterWidth + fx) }
                                fx += 1
                            }
                            fy += 1
                        }
                        y[out + channel] = min(max(best, low), high)
                        positions[out + channel] = Float(at) + 0.1
                    }
                }
            }
        }
    }
}
