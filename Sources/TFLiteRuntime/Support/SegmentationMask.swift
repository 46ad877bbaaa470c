/// A per-pixel class mask from a segmentation output (`[1, H, W, classes]` scores, or
/// `[1, H, W]` class indices), in the model's output size.
public struct SegmentationMask: Sendable, Hashable {
    /// The mask's width in pixels.
    public var width: Int
    /// The mask's height in pixels.
    public var height: Int
    /// The class of each pixel, row by row.
    public var classIndices: [Int]
    /// Labels by class index (TENSOR_AXIS_LABELS), or empty.
    public var labels: [String]

    /// A mask of `width` × `height` class indices (row-major) over `labels`.

    public init(width: Int, height: Int, classIndices: [Int], labels: [String]) {
        self.width = width
        self.height = height
        self.classIndices = classIndices
        self.labels = labels
    }

    /// Argmax over the last axis of `scores` (shape `[1, H, W, C]` or `[1, H, W]`).
    public init(scores: ShapedArray<Float>, labels: [String]) throws {
        let shape = scores.shape
        guard shape.count == 4 || shape.count == 3 else {
            throw ModelWrapperError.invalidOutput(name: "mask", reason: "shape \(shape) is not [1, height, width(, classes)]")
        }
        let height = shape[1], width = shape[2]
        let classes = shape.count == 4 ? shape[3] : 1
        var indices = [Int](repeating: 0, count: width * height)
        scores.scalars.withUnsafeBufferPointer { s in
            for p in 0..<(width * height) {
                if classes == 1 {
                    indices[p] = Int(s[p])
                    continue
                }
                var best = 0
                var bestScore = s[p * classes]
                for c in 1..<classes where s[p * classes + c] > bestScore {
                    best = c
                    bestScore = s[p * classes + c]
                }
                indices[p] = best
            }
        }
        self.init(width: width, height: height, classIndices: indices, labels: labels)
    }

    /// The class index at pixel (`x`, `y`).
    public func classIndex(x: Int, y: Int) -> Int { classIndices[y * width + x] }

    /// The label at pixel (`x`, `y`), or nil without labels.
    public func label(x: Int, y: Int) -> String? {
        let index = classIndex(x: x, y: y)
        return labels.indices.contains(index) ? labels[index] : nil
    }
}
