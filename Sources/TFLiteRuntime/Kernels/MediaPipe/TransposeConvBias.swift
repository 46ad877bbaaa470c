#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// MediaPipe's `Convolution2DTransposeBias` (float32): TRANSPOSE_CONV with the bias as a third
/// input and the output size computed from the padding instead of given.
///
/// Inputs: the NHWC input, OHWI weights and the bias (one value per output channel). Custom
/// options: LiteRT's `TfLiteTransposeConvParams` as raw little-endian bytes (three int32s:
/// padding 1 = SAME, 2 = VALID; stride width; stride height), not a FlexBuffer. The output is
/// `[batch, size(height), size(width), output channels]` with SAME's size `input × stride` and
/// VALID's `(input − 1) × stride + filter`, padded as a convolution from that size back to the
/// input's. Each output gathers the input pixels whose scatter would reach it (input
/// `(y + padding − ky) / stride` where that divides exactly), summing taps in filter order and
/// input channels in order, then adds the bias; rows run in parallel.
final class TransposeConvBiasOperator: MediaPipeOperator {
    private var geometry = ConvGeometry()

    var workUnits: Int {
        let g = geometry
        return MediaPipeSupport.product(g.batches, g.outputHeight, g.outputWidth, g.outputDepth, g.taps, g.inputDepth)
    }

    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput] {
        try MediaPipeSupport.expect(node, inputs: 3, outputs: 1)
        guard node.customOptions.count >= 12 else {
            throw .invalid("custom options must hold padding, stride width and stride height (12 bytes), got \(node.customOptions.count)")
        }
        let fields = MediaPipeSupport.int32s(node.customOptions, count: 3)
        let padding = try MediaPipeSupport.padding(fields[0])
        let strideWidth = try MediaPipeSupport.positive(fields[1], name: "stride_width")
        let strideHeight = try MediaPipeSupport.positive(fields[2], name: "stride_height")
        let input = try MediaPipeSupport.floatInput(node, 0, rank: 4, name: "input")
        let filter = try MediaPipeSupport.floatInput(node, 1, rank: 4, name: "weights")
        let bias = try MediaPipeSupport.floatInput(node, 2, rank: node.inputs[2].shape.count, name: "bias")
        guard filter.shape[3] == input.shape[3] else {
            throw .invalid("weights \(filter.shape) do not fit the input \(input.shape) (input channels differ)")
        }
        guard bias.elementCount == filter.shape[0] else {
            throw .invalid("bias \(bias.shape) must hold one value per output channel (\(filter.shape[0]))")
        }
        let (height, overflowH) = input.shape[1].multipliedReportingOverflow(by: strideHeight)
        let (width, overflowW) = input.shape[2].multipliedReportingOverflow(by: strideWidth)
        guard !overflowH, !overflowW, height <= 1 << 24, width <= 1 << 24 else { throw .invalid("output of \(input.shape) is too large") }
        func size(_ input: Int, _ filter: Int, _ stride: Int) -> Int {
            padding == .same ? input * stride : max(0, (input - 1) * stride + filter)
        }
        var g = ConvGeometry()
        (g.batches, g.inputHeight, g.inputWidth, g.inputDepth) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        g.outputHeight = size(input.shape[1], filter.shape[1], strideHeight)
        g.outputWidth = size(input.shape[2], filter.shape[2], strideWidth)
        (g.outputDepth, g.filterHeight, g.filterWidth) = (filter.shape[0], filter.shape[1], filter.shape[2])
        (g.strideHeight, g.strideWidth) = (strideHeight, strideWidth)
        g.paddingHeight = ConvAxis(padding: padding, inputSize: g.outputHeight, filterSize: g.filterHeight, stride: strideHeight, dilation: 1).padding
        g.paddingWidth = ConvAxis(padding: padding, inputSize: g.outputWidth, filterSize: g.filterWidth, stride: strideWidth, dilation: 1).padding
        let output = try MediaPipeSupport.floatOutput(node, 0, shape: [g.batches, g.outputHeight, g.outputWidth, g.outputDepth])
        geometry = g
        return [output]
    }

    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        let g = geometry
        guard g.outputCount > 0 else { return }
        let y = try MediaPipeSupport.floats(outputs[0], count: g.outputCount)
        let bias = try MediaPipeSupport.floats(inputs[2], count: g.outputDepth)
        guard g.inputCount > 0, g.taps > 0 else {
            // No input pixel reaches any output: each is its bias.
            for offset in stride(from: 0, to: g.outputCount, by: g.outputDepth) { (y + offset).update(from: bias, count: g.outputDepth) }
            return
        }
        let x = try MediaPipeSupport.floats(inputs[0], count: g.inputCount)
        let weights = try MediaPipeSupport.floats(inputs[1], count: g.outputDepth * g.taps * g.inputDepth)
        let (xs, ws, bs, ys) = (UnsafeSendable(x), UnsafeSendable(weights), UnsafeSendable(bias), UnsafeSendable(y))
        threads.parallelFor(g.batches * g.outputHeight) { rows in
            let (x, weights, bias, y) = (xs.value, ws.value, bs.value, ys.value)
            let depth = g.inputDepth
            for row in rows {
                let batch = row / g.outputHeight, outY = row % g.outputHeight
                let batchInput = x + batch * g.inputHeight * g.inputWidth * depth
                for outX in 0..<g.outputWidth {
                    let out = y + (row * g.outputWidth + outX) * g.outputDepth
                    for channel in 0..<g.outputDepth {
                        var sum: Float = 0
                        for ky in 0..<g.filterHeight {
                            let sy = outY + g.paddingHeight - ky
                            guard sy >= 0, sy % g.strideHeight == 0, sy / g.strideHeight < g.inputHeight else { continue }
                            for kx in 0..<g.filterWidth {
                                let sx = outX + g.paddingWidth - kx
                                guard sx >= 0, sx % g.strideWidth == 0, sx / g.strideWidth < g.inputWidth else { continue }
                                let pixel = batchInput + ((sy / g.strideHeight) * g.inputWidth + sx / g.strideWidth) * depth
                                let tap = weights + ((channel * g.filterHeight + ky) * g.filterWidth + kx) * depth
                                for k in 0..<depth { sum += tap[k] * pixel[k] }
                            }
                        }
                        out[channel] = sum + bias[channel]
                    }
                }
            }
        }
    }
}
