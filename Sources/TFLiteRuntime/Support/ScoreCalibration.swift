import Foundation

/// Sigmoid score calibration from a `TENSOR_AXIS_SCORE_CALIBRATION` file, as tflite-support
/// applies it: each line is `scale,slope,offset[,min_score]` for one class, or empty (the default
/// score). `calibrated = scale / (1 + exp(−(slope × transform(score) + offset)))`; scores below
/// `min_score` get the default score.
public struct ScoreCalibration: Sendable, Hashable {
    public enum Transformation: String, Sendable, Hashable {
        case identity = "IDENTITY", log = "LOG", inverseLogistic = "INVERSE_LOGISTIC"
    }

    public struct Sigmoid: Sendable, Hashable {
        public var scale: Float
        public var slope: Float
        public var offset: Float
        public var minScore: Float?
    }

    public var sigmoids: [Sigmoid?]
    public var transformation: Transformation
    public var defaultScore: Float

    /// Parses the calibration file's text; `file` names it in errors.
    public init(text: String, transformation: Transformation, defaultScore: Float, file: String = "score calibration") throws(ModelWrapperError) {
        var sigmoids: [Sigmoid?] = []
        for (number, line) in LabelFile.parse(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                sigmoids.append(nil)
                continue
            }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
                .map { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard fields.count == 3 || fields.count == 4, fields.allSatisfy({ $0 != nil }) else {
                throw .invalidPackedFile(name: file, reason: "line \(number + 1): expected 3 or 4 numbers, got \"\(line)\"")
            }
            guard fields[0]! >= 0 else {
                throw .invalidPackedFile(name: file, reason: "line \(number + 1): scale must be ≥ 0")
            }
            sigmoids.append(Sigmoid(scale: fields[0]!, slope: fields[1]!, offset: fields[2]!,
                                    minScore: fields.count == 4 ? fields[3]! : nil))
        }
        self.sigmoids = sigmoids
        self.transformation = transformation
        self.defaultScore = defaultScore
    }

    /// The calibrated score of class `index`.
    public func calibrate(_ score: Float, index: Int) -> Float {
        guard index < sigmoids.count, let sigmoid = sigmoids[index] else { return defaultScore }
        if let minScore = sigmoid.minScore, score < minScore { return defaultScore }
        let transformed: Float
        switch transformation {
        case .identity: transformed = score
        case .log: transformed = log(score)
        case .inverseLogistic: transformed = log(score) - log1p(-score)
        }
        return sigmoid.scale / (1 + exp(-(sigmoid.slope * transformed + sigmoid.offset)))
    }
}
