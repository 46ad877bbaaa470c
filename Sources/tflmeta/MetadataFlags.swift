import ArgumentParser
import Foundation
import TFLiteMetadata

/// The metadata flags of `populate`: usable alone, on top of a SPEC, or with a preset.
struct MetadataFlags: ParsableArguments {
    // Model
    @Option(help: "Model name.") var name: String?
    @Option(help: "Model description.") var description: String?
    @Option(help: "Model version.") var version: String?
    @Option(help: "Model author.") var author: String?
    @Option(help: "Model license.") var license: String?

    // Main input and output
    @Option(help: "Name of the main input's metadata (the image, audio or text input).") var inputName: String?
    @Option(help: "Description of the main input.") var inputDescription: String?
    @Option(help: "Name of the classification output's metadata.") var outputName: String?
    @Option(help: "Description of the classification output.") var outputDescription: String?

    // Images
    @Option(help: ArgumentHelp("Input normalization mean: one value or one per channel (comma-separated or repeated).",
                               valueName: "value"))
    var mean: [String] = []
    @Option(help: ArgumentHelp("Input normalization standard deviation: one value or one per channel.", valueName: "value"))
    var std: [String] = []
    @Option(help: "Colour space of the image input: rgb, grayscale or unknown.") var colorSpace: ColorSpaceType?

    // Classification
    @Option(help: ArgumentHelp("Label file for the classification output, one label per line; FILE:LOCALE sets its locale (e.g. labels_fr.txt:fr). Repeat for translations.",
                               valueName: "file[:locale]"))
    var labels: [String] = []
    @Option(help: "Locale of the --labels files given without one.") var labelsLocale: String?
    @Option(help: ArgumentHelp("Score calibration file (scale,slope,offset[,min_score] per class).", valueName: "file"))
    var scoreCalibration: String?
    @Option(help: "Transformation before score calibration: identity, log or inverse-logistic.")
    var scoreTransformation: ScoreTransformationType = .identity
    @Option(help: "Score for classes without calibration parameters.") var defaultScore: Float = 0

    // Text
    @Option(help: ArgumentHelp("Vocabulary file (nl-classifier: regex tokenizer; bert-nl-classifier: WordPiece, or SentencePiece vocabulary).", valueName: "file"))
    var vocab: String?
    @Option(help: "Delimiter pattern of the regex tokenizer (nl-classifier; default [^\\w\\']+).") var delimRegex: String?
    @Option(help: ArgumentHelp("SentencePiece model file (bert-nl-classifier).", valueName: "file")) var sentencepieceModel: String?
    @Option(help: "Input tensor holding the token ids (bert-nl-classifier).") var idsName: String?
    @Option(help: "Input tensor holding the mask (bert-nl-classifier).") var maskName: String?
    @Option(help: "Input tensor holding the segment ids (bert-nl-classifier).") var segmentName: String?

    // Audio
    @Option(help: "Sample rate of the audio input in Hz (audio-classifier).") var sampleRate: UInt32?
    @Option(help: "Channel count of the audio input (audio-classifier).") var channels: UInt32?

    /// The flags as library options.
    func options() throws -> MetadataOptions {
        var labelFiles: [MetadataOptions.Labels] = []
        for argument in labels {
            var path = argument
            var locale: String?
            if !FileManager.default.fileExists(atPath: argument), let colon = argument.lastIndex(of: ":") {
                let suffix = String(argument[argument.index(after: colon)...])
                if !suffix.isEmpty, suffix.count <= 35, suffix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                    path = String(argument[..<colon])
                    locale = suffix
                }
            }
            labelFiles.append(MetadataOptions.Labels(path: path, locale: locale ?? labelsLocale))
        }
        return MetadataOptions(
            name: name, description: description, version: version, author: author, license: license,
            inputName: inputName, inputDescription: inputDescription, outputName: outputName, outputDescription: outputDescription,
            mean: try numbers(mean, flag: "--mean"), std: try numbers(std, flag: "--std"), colorSpace: colorSpace,
            labels: labelFiles,
            scoreCalibration: scoreCalibration.map {
                MetadataOptions.ScoreCalibration(path: $0, transformation: scoreTransformation, defaultScore: defaultScore)
            },
            vocab: vocab, delimiterPattern: delimRegex, sentencePieceModel: sentencepieceModel,
            idsName: idsName, maskName: maskName, segmentName: segmentName, sampleRate: sampleRate, channels: channels)
    }

    private func numbers(_ values: [String], flag: String) throws -> [Double]? {
        guard !values.isEmpty else { return nil }
        var result: [Double] = []
        for item in values.flatMap({ $0.split(separator: ",") }) {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard let value = Double(text), value.isFinite else { throw ToolFailure("\(flag): \"\(text)\" is not a number") }
            result.append(value)
        }
        return result
    }
}

extension TaskPreset: ExpressibleByArgument {}

extension ColorSpaceType: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }

    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}

extension ScoreTransformationType: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased().replacingOccurrences(of: "-", with: "_"))
    }

    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased().replacingOccurrences(of: "_", with: "-") } }
}
