#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// The building blocks of tflite-support's task writers (`metadata_info.py` 0.4.4): the same
/// tables, texts and stats, so presets produce the JSON those writers produce.
enum WriterBlocks {
    static let labelFileDescription = "Labels for categories that the model can recognize."
    static let vocabularyDescription = "Vocabulary file to convert natural language words to embedding vectors."
    static let sentencePieceModelDescription = "The sentence piece model file."
    static let sentencePieceVocabularyDescription = vocabularyDescription
        + " This file is optional during tokenization, while the sentence piece model is mandatory."
    static let scoreCalibrationDescription = "Contains sigmoid-based score calibration parameters. The main purposes of "
        + "score calibration is to make scores across classes comparable, so that a common threshold can be used for "
        + "all output classes."

    /// `TensorMd.create_metadata()`: name, description, stats (always present, possibly empty),
    /// content and files.
    static func tensor(name: String?, description: String?, min: [Float]? = nil, max: [Float]? = nil,
                       content: ContentProperties = .feature(FeatureProperties()),
                       files: [AssociatedFile] = []) -> TensorMetadata {
        TensorMetadata(name: name, description: description, content: Content(contentProperties: content),
                       stats: Stats(max: max, min: min), associatedFiles: files.isEmpty ? nil : files)
    }

    /// The value range of an image input: `[0, 255]` for uint8, the normalized pixel range
    /// `((0 − mean) / std, (255 − mean) / std)` per channel for float32, none otherwise.
    static func imageStats(type: TensorType, mean: [Double]?, std: [Double]?) -> (min: [Float], max: [Float])? {
        if type == .uint8 { return ([0], [255]) }
        guard type == .float32, let mean, let std, !mean.isEmpty, !std.isEmpty else { return nil }
        let pairs = zip(mean, std)
        return (pairs.map { Float((0 - $0) / $1) }, pairs.map { Float((255 - $0) / $1) })
    }

    /// `InputImageTensorMd`: image content with a colour space, normalization when given.
    static func imageInput(name: String?, description: String?, mean: [Double]?, std: [Double]?,
                           colorSpace: ColorSpaceType, type: TensorType) -> TensorMetadata {
        let stats = imageStats(type: type, mean: mean, std: std)
        var tensor = self.tensor(name: name, description: description, min: stats?.min, max: stats?.max,
                                 content: .image(ImageProperties(colorSpace: colorSpace)))
        if let mean, let std, !mean.isEmpty, !std.isEmpty {
            tensor.processUnits = [normalization(mean: mean, std: std)]
        }
        return tensor
    }

    static func normalization(mean: [Double], std: [Double]) -> ProcessUnit {
        ProcessUnit(options: .normalization(NormalizationOptions(mean: mean.map { Float($0) }, std: std.map { Float($0) })))
    }

    /// `ClassificationTensorMd`: scores with labels, `[0, 255]` for uint8 and `[0, 1]` for
    /// float32, and optional score calibration (its file follows the labels).
    static func classification(name: String?, description: String?, labels: [AssociatedFile], type: TensorType?,
                               calibration: MetadataOptions.ScoreCalibration?) -> TensorMetadata {
        var range: (min: [Float], max: [Float])?
        if type == .uint8 { range = ([0], [255]) } else if type == .float32 { range = ([0], [1]) }
        var files = labels
        if let calibration { files.append(calibrationFile(calibration)) }
        var tensor = self.tensor(name: name, description: description, min: range?.min, max: range?.max, files: files)
        if let calibration { tensor.processUnits = [scoreCalibration(calibration)] }
        return tensor
    }

    static func scoreCalibration(_ calibration: MetadataOptions.ScoreCalibration) -> ProcessUnit {
        ProcessUnit(options: .scoreCalibration(ScoreCalibrationOptions(
            scoreTransformation: calibration.transformation, defaultScore: calibration.defaultScore)))
    }

    static func calibrationFile(_ calibration: MetadataOptions.ScoreCalibration) -> AssociatedFile {
        AssociatedFile(name: basename(calibration.path), description: scoreCalibrationDescription, type: .tensorAxisScoreCalibration)
    }

    /// `LabelFileMd`.
    static func labelFile(_ labels: MetadataOptions.Labels, type: AssociatedFileType = .tensorAxisLabels) -> AssociatedFile {
        AssociatedFile(name: basename(labels.path), description: labelFileDescription, type: type, locale: labels.locale)
    }

    static func vocabularyFile(_ path: String, description: String = vocabularyDescription) -> AssociatedFile {
        AssociatedFile(name: basename(path), description: description, type: .vocabulary)
    }

    static func basename(_ path: String) -> String {
        URL(fileURLWithPath: path).lastPathComponent
    }
}
