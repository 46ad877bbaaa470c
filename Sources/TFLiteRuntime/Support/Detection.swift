/// A rectangle in pixels of the input image: origin at the top left.
public struct BoundingBox: Sendable, Hashable, CustomStringConvertible {
    /// The left edge.
    public var x: Float
    /// The top edge.
    public var y: Float
    /// The width.
    public var width: Float
    /// The height.
    public var height: Float

    /// A box at (`x`, `y`) of `width` × `height`, in the units the model reports (ratios or pixels).

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "(\(x), \(y), \(width) × \(height))" }
}

/// One detected object.
public struct Detection: Sendable, Hashable {
    /// In the coordinates of the image given to the model.
    public var boundingBox: BoundingBox
    /// What was detected, with its score.
    public var category: Category

    /// A detection of `category` in `boundingBox`.

    public init(boundingBox: BoundingBox, category: Category) {
        self.boundingBox = boundingBox
        self.category = category
    }
}

/// Decodes a detection tensor group (location, category, score, number) as the metadata's
/// `BoundingBoxProperties` describe the boxes.
@_spi(GeneratedCode) public struct DetectionDecoder: Sendable, Hashable {
    @_spi(GeneratedCode) public enum BoxType: String, Sendable, Hashable { case boundaries = "BOUNDARIES", upperLeft = "UPPER_LEFT", center = "CENTER" }
    @_spi(GeneratedCode) public enum CoordinateType: String, Sendable, Hashable { case ratio = "RATIO", pixel = "PIXEL" }

    /// Where each of the type's four values is in a box: for BOUNDARIES left, top, right, bottom;
    /// UPPER_LEFT left, top, width, height; CENTER centre x, centre y, width, height.
    @_spi(GeneratedCode) public var index: [Int]
    @_spi(GeneratedCode) public var type: BoxType
    @_spi(GeneratedCode) public var coordinateType: CoordinateType
    /// Labels by class value (TENSOR_VALUE_LABELS).
    @_spi(GeneratedCode) public var classifier: Classifier

    @_spi(GeneratedCode) public init(index: [Int] = [0, 1, 2, 3], type: BoxType = .boundaries, coordinateType: CoordinateType = .ratio, classifier: Classifier = Classifier()) {
        self.index = index.count == 4 ? index : [0, 1, 2, 3]
        self.type = type
        self.coordinateType = coordinateType
        self.classifier = classifier
    }

    /// The detections, best first: `locations` has 4 values a box; boxes are scaled to
    /// `imageWidth` × `imageHeight` (ratios) or from the model's `inputWidth` × `inputHeight`
    /// (pixels).
    @_spi(GeneratedCode) public func detections(locations: [Float], classes: [Float], scores: [Float], count: Int?,
                           imageWidth: Int, imageHeight: Int, inputWidth: Int, inputHeight: Int,
                           maxResults: Int? = nil, threshold: Float? = nil) -> [Detection] {
        let stretch = ImageTransform(imageWidth: imageWidth, imageHeight: imageHeight, inputWidth: inputWidth, inputHeight: inputHeight)
        return detections(locations: locations, classes: classes, scores: scores, count: count, transform: stretch,
                          maxResults: maxResults, threshold: threshold)
    }

    /// The detections, best first: `locations` has 4 values a box, as ratios of the model input
    /// or in its pixels; boxes are mapped back through `transform` to the image (crop and
    /// letterbox undone).
    @_spi(GeneratedCode) public func detections(locations: [Float], classes: [Float], scores: [Float], count: Int?,
                           transform: ImageTransform, maxResults: Int? = nil, threshold: Float? = nil) -> [Detection] {
        let available = min(locations.count / 4, classes.count, scores.count)
        let n = min(max(count ?? available, 0), available)
        let minimum = threshold ?? classifier.scoreThreshold
        var result: [Detection] = []
        let wholeImage = transform.region == ImageRegion(x: 0, y: 0, width: transform.imageWidth, height: transform.imageHeight)
            && transform.content == ImageRegion(x: 0, y: 0, width: transform.inputWidth, height: transform.inputHeight)
        for i in 0..<n {
            // A class value that is not a finite integer (a broken model) gets no label.
            let classValue = classes[i]
            let classIndex = classValue.isFinite && abs(classValue) < 1e9 ? Int(classValue) : -1
            let score = classifier.calibration?.calibrate(scores[i], index: classIndex) ?? scores[i]
            if let minimum, score < minimum { continue }
            let v = (0..<4).map { locations[i * 4 + index[$0]] }
            var left, top, right, bottom: Float
            switch type {
            case .boundaries: (left, top, right, bottom) = (v[0], v[1], v[2], v[3])
            case .upperLeft: (left, top, right, bottom) = (v[0], v[1], v[0] + v[2], v[1] + v[3])
            case .center: (left, top, right, bottom) = (v[0] - v[2] / 2, v[1] - v[3] / 2, v[0] + v[2] / 2, v[1] + v[3] / 2)
            }
            let box: BoundingBox
            if wholeImage {
                // Stretched, uncropped: one scale per axis.
                let sx, sy: Float
                switch coordinateType {
                case .ratio: (sx, sy) = (Float(transform.imageWidth), Float(transform.imageHeight))
                case .pixel: (sx, sy) = (Float(transform.imageWidth) / Float(transform.inputWidth), Float(transform.imageHeight) / Float(transform.inputHeight))
                }
                left *= sx; right *= sx; top *= sy; bottom *= sy
                box = BoundingBox(x: left, y: top, width: right - left, height: bottom - top)
            } else {
                if coordinateType == .ratio {
                    let sx = Float(transform.inputWidth), sy = Float(transform.inputHeight)
                    left *= sx; right *= sx; top *= sy; bottom *= sy
                }
                box = transform.imageBox(BoundingBox(x: left, y: top, width: right - left, height: bottom - top))
            }
            result.append(Detection(boundingBox: box, category: classifier.category(index: classIndex, score: score)))
        }
        result.sort { $0.category.score > $1.category.score }
        if let maxResults, maxResults >= 0, result.count > maxResults { result.removeLast(result.count - maxResults) }
        return result
    }
}
