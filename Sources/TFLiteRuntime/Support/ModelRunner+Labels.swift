#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A label file packed with the model and its locale (`TENSOR_AXIS_LABELS` / `TENSOR_VALUE_LABELS`).
@_spi(GeneratedCode) public struct LabelFileReference: Sendable, Hashable {
    @_spi(GeneratedCode) public var file: String
    @_spi(GeneratedCode) public var locale: String?
    @_spi(GeneratedCode) public init(file: String, locale: String?) {
        self.file = file
        self.locale = locale
    }
}

/// A packed `TENSOR_AXIS_SCORE_CALIBRATION` file and its options.
@_spi(GeneratedCode) public struct ScoreCalibrationReference: Sendable, Hashable {
    @_spi(GeneratedCode) public var file: String
    @_spi(GeneratedCode) public var transformation: ScoreCalibration.Transformation
    @_spi(GeneratedCode) public var defaultScore: Float
    @_spi(GeneratedCode) public init(file: String, transformation: ScoreCalibration.Transformation, defaultScore: Float) {
        self.file = file
        self.transformation = transformation
        self.defaultScore = defaultScore
    }
}

extension ModelRunner {
    /// Checks the loaded model has the inputs and outputs the wrapper was generated for.
    @_spi(GeneratedCode) public func checkSignature(inputCount: Int, outputCount: Int) throws {
        try run { interpreter in
            guard interpreter.inputTensorCount == inputCount, interpreter.outputTensorCount == outputCount else {
                throw ModelWrapperError.cannotLoadModel("the model has \(interpreter.inputTensorCount) inputs and \(interpreter.outputTensorCount) outputs; the wrapper was generated for \(inputCount) and \(outputCount)")
            }
        }
    }

    /// A classifier with labels from the first file, display names from the file in `locale`
    /// (default: the first), each checked to have `count` labels, and optional score calibration.
    @_spi(GeneratedCode) public func classifier(labelFiles: [LabelFileReference], locale: String?, count: Int?,
                           calibration: ScoreCalibrationReference?, scoreThreshold: Float?) throws(ModelWrapperError) -> Classifier {
        var labels: [String] = []
        var displayNames: [String]?
        if let first = labelFiles.first {
            labels = try self.labels(in: first.file, count: count)
            if let locale {
                guard let localized = labelFiles.first(where: { $0.locale == locale }) else {
                    let available = labelFiles.compactMap(\.locale)
                    throw .invalidInput(name: "locale", reason: "no labels in locale \"\(locale)\" (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))")
                }
                displayNames = try self.labels(in: localized.file, count: count)
            }
        }
        var scoreCalibration: ScoreCalibration?
        if let calibration {
            scoreCalibration = try ScoreCalibration(text: files.text(of: calibration.file), transformation: calibration.transformation,
                                                    defaultScore: calibration.defaultScore, file: calibration.file)
        }
        return Classifier(labels: labels, displayNames: displayNames, calibration: scoreCalibration, scoreThreshold: scoreThreshold)
    }
}
