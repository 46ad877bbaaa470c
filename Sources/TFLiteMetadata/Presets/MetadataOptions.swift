/// Metadata given piece by piece (the `populate` flags), used by task presets and applied on top
/// of a SPEC or of the model's own metadata.
public struct MetadataOptions: Hashable, Sendable {
    /// A label file and its locale.
    public struct Labels: Hashable, Sendable {
        /// The label file on disk, one label per line; packed by its basename.
        public var path: String
        /// The language of these labels (e.g. `fr`), for translations of the same classes.
        public var locale: String?

        /// Creates a label file reference (`--labels FILE[:LOCALE]`).
        public init(path: String, locale: String? = nil) {
            self.path = path
            self.locale = locale
        }
    }

    /// A score calibration file and how to apply it.
    public struct ScoreCalibration: Hashable, Sendable {
        /// The calibration file on disk: `scale,slope,offset[,min_score]` per class.
        public var path: String
        /// The function applied to a score before the sigmoid.
        public var transformation: ScoreTransformationType
        /// The score of classes without parameters, or below their `min_score`.
        public var defaultScore: Float

        /// Creates a score calibration reference (`--score-calibration`, `--score-transformation`,
        /// `--default-score`).
        public init(path: String, transformation: ScoreTransformationType = .identity, defaultScore: Float = 0) {
            self.path = path
            self.transformation = transformation
            self.defaultScore = defaultScore
        }
    }

    // Model
    /// The model's name (`--name`).
    public var name: String?
    /// The model's description (`--description`).
    public var description: String?
    /// The model's own version (`--version`).
    public var version: String?
    /// The model's author (`--author`).
    public var author: String?
    /// The model's license (`--license`).
    public var license: String?

    // The main input and output (image/audio/text input, classification output)
    /// The metadata name of the main input: the image, audio or text input (`--input-name`).
    public var inputName: String?
    /// The description of the main input (`--input-description`).
    public var inputDescription: String?
    /// The metadata name of the classification output (`--output-name`).
    public var outputName: String?
    /// The description of the classification output (`--output-description`).
    public var outputDescription: String?

    // Images
    /// Normalization `(x - mean) / std`: one value, or one per channel. Kept as `Double` so
    /// stats are computed as tflite-support computes them (in double precision).
    public var mean: [Double]?
    /// Normalization standard deviation: one value, or one per channel (`--std`).
    public var std: [Double]?
    /// The colour space of the image input (`--color-space`).
    public var colorSpace: ColorSpaceType?

    // Classification
    /// Label files for the classification output; several for translations (`--labels`).
    public var labels: [Labels]
    /// Score calibration of the classification output.
    public var scoreCalibration: ScoreCalibration?

    // Text
    /// The vocabulary file: the regex tokenizer's for `nl-classifier`; WordPiece's, or
    /// SentencePiece's vocabulary, for `bert-nl-classifier` (`--vocab`).
    public var vocab: String?
    /// The regex tokenizer's delimiter pattern (`nl-classifier`; `[^\w\']+` when absent).
    public var delimiterPattern: String?
    /// The SentencePiece model file (`bert-nl-classifier`, instead of a WordPiece vocabulary).
    public var sentencePieceModel: String?
    /// The input tensor that holds token ids (`bert-nl-classifier`).
    public var idsName: String?
    /// The input tensor that holds the attention mask (`bert-nl-classifier`).
    public var maskName: String?
    /// The input tensor that holds segment ids (`bert-nl-classifier`).
    public var segmentName: String?

    // Audio
    /// The audio input's sample rate in hertz (`audio-classifier`).
    public var sampleRate: UInt32?
    /// The audio input's channel count (`audio-classifier`).
    public var channels: UInt32?

    /// Creates options; each parameter sets the property of the same name (nil or empty: not
    /// given). A ``TaskPreset`` builds its metadata from them; without one, ``MetadataRecipe``
    /// applies them as edits to the spec or to the model's own metadata.
    public init(name: String? = nil, description: String? = nil, version: String? = nil, author: String? = nil,
                license: String? = nil, inputName: String? = nil, inputDescription: String? = nil,
                outputName: String? = nil, outputDescription: String? = nil, mean: [Double]? = nil, std: [Double]? = nil,
                colorSpace: ColorSpaceType? = nil, labels: [Labels] = [], scoreCalibration: ScoreCalibration? = nil,
                vocab: String? = nil, delimiterPattern: String? = nil, sentencePieceModel: String? = nil,
                idsName: String? = nil, maskName: String? = nil, segmentName: String? = nil,
                sampleRate: UInt32? = nil, channels: UInt32? = nil) {
        self.name = name
        self.description = description
        self.version = version
        self.author = author
        self.license = license
        self.inputName = inputName
        self.inputDescription = inputDescription
        self.outputName = outputName
        self.outputDescription = outputDescription
        self.mean = mean
        self.std = std
        self.colorSpace = colorSpace
        self.labels = labels
        self.scoreCalibration = scoreCalibration
        self.vocab = vocab
        self.delimiterPattern = delimiterPattern
        self.sentencePieceModel = sentencePieceModel
        self.idsName = idsName
        self.maskName = maskName
        self.segmentName = segmentName
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Whether any model-level field is set.
    var setsGeneralFields: Bool {
        name != nil || description != nil || version != nil || author != nil || license != nil
    }

    /// Applies the model-level fields.
    func applyGeneral(to metadata: inout ModelMetadata) {
        if let name { metadata.name = name }
        if let description { metadata.description = description }
        if let version { metadata.version = version }
        if let author { metadata.author = author }
        if let license { metadata.license = license }
    }
}
