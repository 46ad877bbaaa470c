import TFLiteModel

/// MediaPipe's `TransformLandmarks`, version 2 (float32): maps landmarks from a crop back to
/// the image with a 4 × 4 matrix (from `Landmarks2TransformMatrix`).
///
/// Inputs: landmarks `[1, N, D]` with D = 2 (x, y) or 3 (x, y, z), and the matrix (16 values).
/// Each landmark's (x, y) becomes the matrix's first two rows applied to (x, y, 0, 1), summed in
/// float32 left to right; z is copied. No custom options. MediaPipe transforms only the first
/// row of the leading dimension, so other sizes are refused.
final class TransformLandmarksOperator: MediaPipeOperator {
    private var count = 0
    private var dimensions = 0

    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput] {
        try MediaPipeSupport.expect(node, inputs: 2, outputs: 1)
        try MediaPipeSupport.expectVersion2(node)
        let input = try MediaPipeSupport.floatInput(node, 0, rank: 3, name: "landmarks")
        guard input.shape[0] == 1, input.shape[2] == 2 || input.shape[2] == 3 else {
            throw .invalid("landmarks must be [1, N, 2] or [1, N, 3], got \(input.shape)")
        }
        try MediaPipeSupport.expectMatrix(node, 1)
        (count, dimensions) = (input.elementCount, input.shape[2])
        return [try MediaPipeSupport.floatOutput(node, 0, shape: input.shape)]
    }

    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        guard count > 0 else { return }
        let x = try MediaPipeSupport.floats(inputs[0], count: count)
        let m = try MediaPipeSupport.floats(inputs[1], count: 16)
        let y = try MediaPipeSupport.floats(outputs[0], count: count)
        for offset in stride(from: 0, to: count, by: dimensions) {
            let (px, py) = (x[offset], x[offset + 1])
            y[offset] = m[0] * px + m[1] * py + m[2] * 0 + m[3] * 1
            y[offset + 1] = m[4] * px + m[5] * py + m[6] * 0 + m[7] * 1
            if dimensions == 3 { y[offset + 2] = x[offset + 2] }
        }
    }
}
