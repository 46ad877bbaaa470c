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

/// Sigmoid score calibration from a `TENSOR_AXIS_SCORE_CALIBRATION` file, as tflite-support
/// applies it: each line is `scale,slope,offset[,min_score]` for one class, or empty (the default
/// score). `calibrated = scale / (1 + exp(−(slope × transform(score) + offset)))`; scores below
/// `min_score` get the default score.
@_spi(GeneratedCode) public struct ScoreCalibration: Sendable, Hashable {
    @_spi(GeneratedCode) public enum Transformation: String, Sendable, Hashable {
        case identity = "IDENTITY", log = "LOG", inverseLogistic = "INVERSE_LOGISTIC"
    }

    @_spi(GeneratedCode) public struct Sigmoid: Sendable, Hashable {
        @_spi(GeneratedCode) public var scale: Float
        @_spi(GeneratedCode) public var slope: Float
        @_spi(GeneratedCode) public var offset: Float
        @_spi(GeneratedCode) public var minScore: Float?
    }

    @_spi(GeneratedCode) public var sigmoids: [Sigmoid?]
    @_spi(GeneratedCode) public var transformation: Transformation
    @_spi(GeneratedCode) public var defaultScore: Float

    /// Parses the calibration file's text (as `TFLiteModel.ScoreCalibrationFile` reads it, the
    /// rule `tflcodegen` and `tflmeta validate` check); `file` names it in errors.
    @_spi(GeneratedCode) public init(text: String, transformation: Transformation, defaultScore: Float, file: String = "score calibration") throws(ModelWrapperError) {
        let parsed = ScoreCalibrationFile(text: text)
        if let problem = parsed.problems.first {
            throw .invalidPackedFile(name: file, reason: problem.description)
        }
        self.sigmoids = parsed.sigmoids.map { sigmoid in
            sigmoid.map { Sigmoid(scale: $0.scale, slope: $0.slope, offset: $0.offset, minScore: $0.minScore) }
        }
        self.transformation = transformation
        self.defaultScore = defaultScore
    }

    /// The calibrated score of class `index`.
    @_spi(GeneratedCode) public func calibrate(_ score: Float, index: Int) -> Float {
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
