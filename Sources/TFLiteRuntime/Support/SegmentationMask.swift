/// A per-pixel mask from a segmentation output, in the model's output size, with the
/// ``ImageTransform`` that maps it back onto the image given to the model (``imageMask()``).
///
/// A multi-class output (`[1, H, W, classes]` scores, or `[1, H, W]` class indices) gives a
/// *category* mask (``classIndices``); a one-channel output (`[1, H, W, 1]`, e.g. a sigmoid
/// person/background confidence) gives a *confidence* mask (``confidences``).
public struct SegmentationMask: Sendable, Hashable {
    /// What the mask holds per pixel.
    public enum Kind: Sendable, Hashable {
        /// A class index per pixel (``classIndices``).
        case category
        /// A confidence per pixel (``confidences``), as the model gives it (usually 0…1).
        case confidence
    }

    /// The class index of the pixels of an image mask that the model did not see (outside the
    /// ``ImageCrop``).
    public static let uncovered = -1

    /// The mask's width in pixels.
    public var width: Int
    /// The mask's height in pixels.
    public var height: Int
    /// Category mask: the class of each pixel, row by row; empty for a confidence mask.
    public var classIndices: [Int]
    /// Confidence mask: the confidence of each pixel, row by row; empty for a category mask.
    public var confidences: [Float]
    /// Labels by class index (TENSOR_AXIS_LABELS), or empty.
    public var labels: [String]
    /// How the model input was made from the image, when known: ``imageMask()`` undoes it.
    public var transform: ImageTransform?

    /// Whether this is a category or a confidence mask.
    public var kind: Kind { classIndices.isEmpty && !confidences.isEmpty ? .confidence : .category }

    /// A category mask of `width` × `height` class indices (row-major) over `labels`.
    public init(width: Int, height: Int, classIndices: [Int], labels: [String]) {
        self.width = width
        self.height = height
        self.classIndices = classIndices
        self.confidences = []
        self.labels = labels
    }

    /// A confidence mask of `width` × `height` values (row-major).
    public init(width: Int, height: Int, confidences: [Float], labels: [String] = [], transform: ImageTransform? = nil) {
        self.width = width
        self.height = height
        self.classIndices = []
        self.confidences = confidences
        self.labels = labels
        self.transform = transform
    }

    /// The mask of a segmentation output `scores`: shape `[1, H, W, C]` with C > 1 (argmax over
    /// the classes), `[1, H, W]` (class indices), or `[1, H, W, 1]` (confidences). `transform`
    /// records how the input was made from the image.
    public init(scores: ShapedArray<Float>, labels: [String], transform: ImageTransform? = nil) throws {
        let shape = scores.shape
        guard shape.count == 4 || shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
            throw ModelWrapperError.invalidOutput(name: "mask", reason: "shape \(shape) is not [1, height, width(, classes)]")
        }
        let height = shape[1], width = shape[2]
        let classes = shape.count == 4 ? shape[3] : 1
        let pixels = width * height
        guard scores.scalars.count >= pixels * classes else {
            throw ModelWrapperError.invalidOutput(name: "mask", reason: "\(scores.scalars.count) values for shape \(shape)")
        }
        if shape.count == 4 && classes == 1 {
            self.init(width: width, height: height, confidences: Array(scores.scalars.prefix(pixels)), labels: labels, transform: transform)
            return
        }
        var indices = [Int](repeating: 0, count: pixels)
        scores.scalars.withUnsafeBufferPointer { s in
            for p in 0..<pixels {
                if classes == 1 {
                    let value = s[p]
                    indices[p] = value.isFinite && abs(value) < 1e9 ? Int(value) : SegmentationMask.uncovered
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
        self.transform = transform
    }

    /// The class index at pixel (`x`, `y`); for a confidence mask, 1 where the confidence is at
    /// least 0.5, else 0.
    public func classIndex(x: Int, y: Int) -> Int {
        if kind == .confidence { return confidences[y * width + x] >= 0.5 ? 1 : 0 }
        return classIndices[y * width + x]
    }

    /// The confidence at pixel (`x`, `y`) of a confidence mask; nil for a category mask.
    public func confidence(x: Int, y: Int) -> Float? {
        kind == .confidence ? confidences[y * width + x] : nil
    }

    /// The label at pixel (`x`, `y`), or nil without labels.
    public func label(x: Int, y: Int) -> String? {
        let index = classIndex(x: x, y: y)
        return labels.indices.contains(index) ? labels[index] : nil
    }

    /// The mask in the size of the (upright) image given to the model, with crop and letterbox
    /// undone: category masks by nearest neighbour (``uncovered`` outside the crop), confidence
    /// masks bilinear over the mask pixels inside the letterbox content (0 outside the crop).
    /// Without a ``transform``, the mask itself.
    public func imageMask() -> SegmentationMask {
        guard let transform, width > 0, height > 0 else { return self }
        let iw = transform.imageWidth, ih = transform.imageHeight
        let region = transform.region
        // Input pixels per mask pixel.
        let mx = Float(width) / Float(transform.inputWidth)
        let my = Float(height) / Float(transform.inputHeight)
        let confidence = kind == .confidence
        // Bilinear samples stay on the mask pixels that lie inside the content, so letterbox
        // padding never bleeds into the image's edge.
        func span(_ start: Int, _ length: Int, _ scale: Float, _ size: Int) -> ClosedRange<Float> {
            let first = min(max(Int((Float(start) * scale).rounded(.up)), 0), size - 1)
            let last = min(max(Int((Float(start + length) * scale).rounded(.down)) - 1, first), size - 1)
            return Float(first)...Float(last)
        }
        let xs = span(transform.content.x, transform.content.width, mx, width)
        let ys = span(transform.content.y, transform.content.height, my, height)
        var indices = confidence ? [] : [Int](repeating: SegmentationMask.uncovered, count: iw * ih)
        var values = confidence ? [Float](repeating: 0, count: iw * ih) : []
        for v in region.y..<(region.y + region.height) {
            for u in region.x..<(region.x + region.width) {
                let p = transform.inputPoint(imageX: Float(u) + 0.5, imageY: Float(v) + 0.5)
                let x = p.x * mx, y = p.y * my
                if confidence {
                    let sx = min(max(x - 0.5, xs.lowerBound), xs.upperBound), sy = min(max(y - 0.5, ys.lowerBound), ys.upperBound)
                    let x0 = Int(sx), y0 = Int(sy)
                    let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                    let fx = sx - Float(x0), fy = sy - Float(y0)
                    let a = confidences[y0 * width + x0], b = confidences[y0 * width + x1]
                    let d = confidences[y1 * width + x0], e = confidences[y1 * width + x1]
                    let top = a + (b - a) * fx, bottom = d + (e - d) * fx
                    values[v * iw + u] = top + (bottom - top) * fy
                } else {
                    let xi = min(max(Int(x.rounded(.down)), 0), width - 1)
                    let yi = min(max(Int(y.rounded(.down)), 0), height - 1)
                    indices[v * iw + u] = classIndices[yi * width + xi]
                }
            }
        }
        var mask = confidence
            ? SegmentationMask(width: iw, height: ih, confidences: values, labels: labels)
            : SegmentationMask(width: iw, height: ih, classIndices: indices, labels: labels)
        mask.transform = nil
        return mask
    }
}
