#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// MediaPipe's `Landmarks2TransformMatrix`, version 2 (float32): the 4 × 4 matrix that maps a
/// crop of `output_width × output_height` pixels onto the rotated box around a subset of
/// landmarks (face_landmark_with_attention crops its lips, eyes and irises with it).
///
/// Input: landmarks as consecutive (x, y, z) triples (3-D, `[1, N, 3]`). Output `[1, 4, 4]`,
/// row-major. FlexBuffer options: `subset_idxs` (landmark indices taken in pairs; an odd last
/// one pairs with itself), `left_rotation_idx`, `right_rotation_idx`,
/// `target_rotation_radians`, `output_height`, `output_width`, `scale_x`, `scale_y`.
///
/// The rotation is `target − atan2(right.y − left.y, right.x − left.x)`; the subset, rotated
/// by it, gives a box (min/max of x and y) whose center, rotated back, and size make the
/// matrix `shift(center) · rotate(−rotation) · scale(scale · size / output size) ·
/// shift(−output size / 2)`. Computed in float32 in MediaPipe's order. Indices outside the
/// landmarks, an empty subset and non-positive sizes or scales are errors.
final class LandmarksToTransformMatrixOperator: MediaPipeOperator {
    private var pairs: [(Int, Int)] = []
    private var left = 0
    private var right = 0
    private var targetRotation: Float = 0
    private var outputHeight: Int32 = 0
    private var outputWidth: Int32 = 0
    private var scaleX: Float = 0
    private var scaleY: Float = 0
    private var count = 0

    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput] {
        try MediaPipeSupport.expect(node, inputs: 1, outputs: 1)
        try MediaPipeSupport.expectVersion2(node)
        guard let map = try MediaPipeSupport.flexOptions(node) else { throw .invalid("missing custom options (a FlexBuffer map)") }
        guard case .integers(let subset) = map["subset_idxs"] ?? .null, !subset.isEmpty else {
            throw .invalid("custom options: subset_idxs must be a non-empty vector of integers")
        }
        // Read as int32 (FlexBuffers' AsInt32 truncates), then checked.
        let indices = subset.map { Int(Int32(truncatingIfNeeded: $0)) }
        guard let lowest = indices.min(), lowest >= 0 else { throw .invalid("custom options: subset_idxs holds a negative index") }
        pairs = stride(from: 0, to: indices.count, by: 2).map { (indices[$0], indices[min($0 + 1, indices.count - 1)]) }
        left = Int(map["left_rotation_idx"]?.int32 ?? 0)
        right = Int(map["right_rotation_idx"]?.int32 ?? 0)
        targetRotation = map["target_rotation_radians"]?.float ?? 0
        outputHeight = map["output_height"]?.int32 ?? 0
        outputWidth = map["output_width"]?.int32 ?? 0
        scaleX = map["scale_x"]?.float ?? 0
        scaleY = map["scale_y"]?.float ?? 0
        guard left >= 0, right >= 0 else { throw .invalid("custom options: left_rotation_idx \(left) and right_rotation_idx \(right) must not be negative") }
        guard outputHeight > 0, outputWidth > 0 else {
            throw .invalid("custom options: output_height \(outputHeight) and output_width \(outputWidth) must be positive")
        }
        guard scaleX > 0, scaleY > 0 else { throw .invalid("custom options: scale_x \(scaleX) and scale_y \(scaleY) must be positive") }
        let input = try MediaPipeSupport.floatInput(node, 0, rank: 3, name: "landmarks")
        count = input.elementCount / 3
        let largest = max(left, right, pairs.map { max($0.0, $0.1) }.max() ?? 0)
        guard largest < count else { throw .invalid("landmark index \(largest) is outside the \(count) landmarks of \(input.shape)") }
        return [try MediaPipeSupport.floatOutput(node, 0, shape: [1, 4, 4])]
    }

    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        let landmarks = try MediaPipeSupport.floats(inputs[0], count: count * 3)
        let output = try MediaPipeSupport.floats(outputs[0], count: 16)
        let point = { (index: Int) in (landmarks[index * 3], landmarks[index * 3 + 1]) }
        let (leftX, leftY) = point(left), (rightX, rightY) = point(right)
        let rotation = targetRotation - atan2(rightY - leftY, rightX - leftX)

        // The subset rotated by `rotation` (Mat3 rows applied to (x, y, 1)), its box.
        let (c, s) = (cos(rotation), sin(rotation))
        func rotate(_ x: Float, _ y: Float, _ c: Float, _ s: Float) -> (Float, Float) {
            (c * x + -s * y + 0 * 1, s * x + c * y + 0 * 1)
        }
        var low = rotate(point(pairs[0].0).0, point(pairs[0].0).1, c, s), high = low
        for (a, b) in pairs {
            for index in [a, b] {
                let (x, y) = rotate(point(index).0, point(index).1, c, s)
                if high.0 < x { high.0 = x }
                if high.1 < y { high.1 = y }
                if low.0 > x { low.0 = x }
                if low.1 > y { low.1 = y }
            }
        }
        let cropWidth = high.0 - low.0, cropHeight = high.1 - low.1
        let center = rotate((low.0 + high.0) / 2, (low.1 + high.1) / 2, cos(-rotation), sin(-rotation))

        let back = -rotation
        var t = Matrix4(rows: [1, 0, 0, center.0, 0, 1, 0, center.1, 0, 0, 1, 0, 0, 0, 0, 1])
        t.multiply(by: Matrix4(rows: [cos(back), -sin(back), 0, 0, sin(back), cos(back), 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
        let sx = scaleX * cropWidth / Float(outputWidth), sy = scaleY * cropHeight / Float(outputHeight)
        t.multiply(by: Matrix4(rows: [sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
        let shiftX = Float(-1.0 * (Double(outputWidth) / 2.0)), shiftY = Float(-1.0 * (Double(outputHeight) / 2.0))
        t.multiply(by: Matrix4(rows: [1, 0, 0, shiftX, 0, 1, 0, shiftY, 0, 0, 1, 0, 0, 0, 0, 1]))
        for index in 0..<16 { output[index] = t.values[index] }
    }
}

/// A row-major 4 × 4 float matrix whose product sums each entry in float32, left to right.
private struct Matrix4 {
    var values: [Float]

    init(rows: [Float]) { values = rows }

    mutating func multiply(by other: Matrix4) {
        var result = [Float](repeating: 0, count: 16)
        for row in 0..<4 {
            for column in 0..<4 {
                var sum: Float = 0
                for k in 0..<4 { sum += values[row * 4 + k] * other.values[k * 4 + column] }
                result[row * 4 + column] = sum
            }
        }
        values = result
    }
}
