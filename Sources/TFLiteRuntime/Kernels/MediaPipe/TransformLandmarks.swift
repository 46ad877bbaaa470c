import TFLiteModel

/// MediaPipe's `TransformLandmarks`, version 2 (float32): maps landmarks from a crop back to
/// the image with a 4 × 4 matrix (from `Landmarks2TransformMatrix`).
///
/// Inputs: landmarks `[1, N, D]` with D = 2 (x, y) or 3 (x, y, z), and the matrix (16 values).
/// Each landmark's (x, y) becomes the matrix's first two rows applied to (x, y, 0, 1), summed in
/// float32 left to right; z is copied. No custom options. MediaPipe transforms only the first
/// row of the leading dimension, so other sizes are refused.
final class TransformLandmarksKernel: Kernel {
    private let node: Node

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        try MediaPipeSupport.expectVersion2(node)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = try MediaPipeSupport.floatInput(tensors, node, 0, rank: 3, name: "landmarks")
        guard input.shape[0] == 1, input.shape[2] == 2 || input.shape[2] == 3 else {
            throw node.invalid("landmarks must be [1, N, 2] or [1, N, 3], got \(input.shape)")
        }
        _ = try MediaPipeSupport.matrixInput(tensors, node, 1)
        try MediaPipeSupport.setFloatOutput(tensors, node, 0, shape: input.shape)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let dimensions = input.shape.count == 3 ? input.shape[2] : 0
        let x = try ConvSupport.checked(input, Float.self, count: input.elementCount, node: node)
        let m = try ConvSupport.checked(try MediaPipeSupport.matrixInput(tensors, node, 1), Float.self, count: 16, node: node)
        let y = try ConvSupport.checked(tensors[try node.output(0)], Float.self, count: input.elementCount, node: node)
        guard dimensions == 2 || dimensions == 3 else { throw node.failure("tensor shapes changed after prepare") }
        for offset in stride(from: 0, to: input.elementCount, by: dimensions) {
            let (px, py) = (x[offset], x[offset + 1])
            y[offset] = m[0] * px + m[1] * py + m[2] * 0 + m[3] * 1
            y[offset + 1] = m[4] * px + m[5] * py + m[6] * 0 + m[7] * 1
            if dimensions == 3 { y[offset + 2] = x[offset + 2] }
        }
    }
}
