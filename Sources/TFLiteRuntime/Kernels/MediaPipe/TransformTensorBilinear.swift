#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// MediaPipe's `TransformTensorBilinear`, version 2 (float32): samples a crop of a feature map
/// through a 4 × 4 matrix (from `Landmarks2TransformMatrix`) with bilinear interpolation.
///
/// Inputs: the feature map `[1, H, W, C]` and the matrix (16 values). Output
/// `[1, output_height, output_width, C]` (FlexBuffer options `output_height`, `output_width`;
/// without them the model's output shape). Output pixel (x, y) samples the input at the matrix's
/// first two rows applied to (x, y, 0, 1), after the align-corners correction (the translation
/// gains `0.5 · (m0 + m1) − 0.5`, in double as MediaPipe computes it). A sample outside
/// `[0, W − 1] × [0, H − 1]` gives 0; neighbours past the edge read as 0. The weights mix float
/// and double arithmetic exactly as MediaPipe's kernel does.
final class TransformTensorBilinearOperator: MediaPipeOperator {
    /// Input height, width and channels; output height and width.
    private var inputHeight = 0, inputWidth = 0, channels = 0
    private var outputHeight = 0, outputWidth = 0

    /// Four input values read per output value.
    var workUnits: Int { MediaPipeSupport.product(outputHeight, outputWidth, channels, 4, Interpreter.Options.elementWork) }

    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput] {
        try MediaPipeSupport.expect(node, inputs: 2, outputs: 1)
        try MediaPipeSupport.expectVersion2(node)
        let map = try MediaPipeSupport.flexOptions(node)
        let size: (height: Int, width: Int)?
        if let height = map?["output_height"], let width = map?["output_width"] {
            guard height.int32 > 0, width.int32 > 0, height.int32 <= 1 << 16, width.int32 <= 1 << 16 else {
                throw .invalid("custom options: output_height \(height.int32) and output_width \(width.int32) must be in 1...65536")
            }
            size = (Int(height.int32), Int(width.int32))
        } else {
            size = nil
        }
        let input = try MediaPipeSupport.floatInput(node, 0, rank: 4, name: "input")
        guard input.shape[0] == 1 else { throw .invalid("input must have one batch (MediaPipe samples only the first), got \(input.shape)") }
        try MediaPipeSupport.expectMatrix(node, 1)
        let (height, width): (Int, Int)
        if let size {
            (height, width) = size
        } else {
            let declared = node.outputs[0].shape
            guard declared.count == 4, declared[1] >= 0, declared[2] >= 0 else {
                throw .invalid("without output_height and output_width options the output must be 4-D, got \(declared)")
            }
            (height, width) = (declared[1], declared[2])
        }
        let output = try MediaPipeSupport.floatOutput(node, 0, shape: [1, height, width, input.shape[3]])
        (inputHeight, inputWidth, channels) = (input.shape[1], input.shape[2], input.shape[3])
        (outputHeight, outputWidth) = (height, width)
        return [output]
    }

    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        let (inputHeight, inputWidth, channels) = (inputHeight, inputWidth, channels)
        let (outputHeight, outputWidth) = (outputHeight, outputWidth)
        guard outputHeight * outputWidth * channels > 0 else { return }
        let y = try MediaPipeSupport.floats(outputs[0], count: outputHeight * outputWidth * channels)
        guard inputHeight * inputWidth > 0 else {
            // Every sample falls outside an empty input.
            y.update(repeating: 0, count: outputHeight * outputWidth * channels)
            return
        }
        let x = try MediaPipeSupport.floats(inputs[0], count: inputHeight * inputWidth * channels)
        let m = try MediaPipeSupport.floats(inputs[1], count: 16)
        var rowX = (m[0], m[1], m[2], m[3]), rowY = (m[4], m[5], m[6], m[7])
        rowX.3 = Float(Double(rowX.3) + (Double(rowX.0) * 0.5 + Double(rowX.1) * 0.5 - 0.5))
        rowY.3 = Float(Double(rowY.3) + (Double(rowY.0) * 0.5 + Double(rowY.1) * 0.5 - 0.5))
        let (xs, ys) = (UnsafeSendable(x), UnsafeSendable(y))
        threads.parallelFor(outputHeight) { rows in
            let (x, y) = (xs.value, ys.value)
            for outY in rows {
                for outX in 0..<outputWidth {
                    let (fx, fy) = (Float(outX), Float(outY))
                    let sx = rowX.0 * fx + rowX.1 * fy + rowX.2 * 0 + rowX.3 * 1
                    let sy = rowY.0 * fx + rowY.1 * fy + rowY.2 * 0 + rowY.3 * 1
                    let out = y + (outY * outputWidth + outX) * channels
                    // NaN coordinates fail every comparison, as in MediaPipe, and are refused here.
                    guard sx >= 0, sx <= Float(inputWidth - 1), sy >= 0, sy <= Float(inputHeight - 1) else {
                        out.update(repeating: 0, count: channels)
                        continue
                    }
                    let (left, top) = (sx.rounded(.down), sy.rounded(.down))
                    let (column, row) = (Int(left), Int(top))
                    let right = sx - left, lower = sy - top
                    func read(_ r: Int, _ c: Int, _ channel: Int) -> Float {
                        r < 0 || c < 0 || r >= inputHeight || c >= inputWidth ? 0 : x[(r * inputWidth + c) * channels + channel]
                    }
                    for channel in 0..<channels {
                        let q11 = read(row, column, channel), q21 = read(row, column + 1, channel)
                        let q12 = read(row + 1, column, channel), q22 = read(row + 1, column + 1, channel)
                        let upper = Float((1.0 - Double(right)) * Double(q11) + Double(right * q21))
                        let bottom = Float((1.0 - Double(right)) * Double(q12) + Double(right * q22))
                        out[channel] = Float(Double(lower * bottom) + (1.0 - Double(lower)) * Double(upper))
                    }
                }
            }
        }
    }
}
