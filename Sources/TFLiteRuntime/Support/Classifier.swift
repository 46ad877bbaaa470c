/// Turns a score vector into `[Category]`, best first: labels (and display names in a locale),
/// score calibration, a score threshold and a maximum count.
@_spi(GeneratedCode) public struct Classifier: Sendable, Hashable {
    @_spi(GeneratedCode) public var labels: [String]
    @_spi(GeneratedCode) public var displayNames: [String]?
    @_spi(GeneratedCode) public var calibration: ScoreCalibration?
    /// From metadata's ScoreThresholdingOptions; a wrapper's configuration may override it.
    @_spi(GeneratedCode) public var scoreThreshold: Float?

    @_spi(GeneratedCode) public init(labels: [String] = [], displayNames: [String]? = nil, calibration: ScoreCalibration? = nil, scoreThreshold: Float? = nil) {
        self.labels = labels
        self.displayNames = displayNames
        self.calibration = calibration
        self.scoreThreshold = scoreThreshold
    }

    /// Categories for `scores` (one per class), sorted by score (ties: lower index first), keeping
    /// those ≥ `threshold` (default: the metadata's) and at most `maxResults`.
    @_spi(GeneratedCode) public func categories(_ scores: [Float], maxResults: Int? = nil, threshold: Float? = nil) -> [Category] {
        var result: [Category] = []
        result.reserveCapacity(scores.count)
        let minimum = threshold ?? scoreThreshold
        for (index, raw) in scores.enumerated() {
            let score = calibration?.calibrate(raw, index: index) ?? raw
            if let minimum, score < minimum { continue }
            result.append(category(index: index, score: score))
        }
        result.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        if let maxResults, maxResults >= 0, result.count > maxResults { result.removeLast(result.count - maxResults) }
        return result
    }

    /// The category for class `index` with `score`.
    @_spi(GeneratedCode) public func category(index: Int, score: Float) -> Category {
        let label = labels.indices.contains(index) ? labels[index] : ""
        let display = displayNames.flatMap { $0.indices.contains(index) ? $0[index] : nil }
        return Category(index: index, label: label, displayName: display ?? (label.isEmpty ? nil : label), score: score)
    }
}
