/// Metadata given piece by piece (the `populate` flags), used by task presets and applied on top
/// of a SPEC or of the model's own metadata.
public struct MetadataOptions: Hashable, Sendable {
    /// A label file and its locale.
    public struct Labels: Hashable, Sendable {
        public var path: String
        public var locale: String?

        public init(path: String, locale: String? = nil) {
            self.path = path
            self.locale = locale
        }
    }

    /// A score calibration file and how to apply it.
    public struct ScoreCalibration: Hashable, Sendable {
        public var path: String
        public var transformation: ScoreTransformationType
        public var defaultScore: Float

        public init(path: String, transformation: ScoreTransformationType = .identity, defaultScore: Float = 0) {
            self.path = path
            self.transformation = transformation
            self.defaultScore = defaultScore
        }
    }

    // Model
    public var name: String?
    public var description: String?
    public var version: String?
    public var author: String?
    public var license: String?

    // The main input and output (image/audio/text input, classification output)
    public var inputName: String?
    public var inputDescription: String?
    public var outputName: String?
    public var outputDescription: String?

    // Images
    /// Normalization `(x - mean) / std`: one value, or one per channel. Kept as `Double` so
    /// stats are computed as tflite-support computes them (in double precision).
    public var mean: [Double]?
    public var std: [Double]?
    public var colorSpace: ColorSpaceType?

    // Classification
    public var labels: [Labels]
    public var scoreCalibration: ScoreCalibration?

    // Text
    public var vocab: String?
    public var delimiterPattern: String?
    public var sentencePieceModel: String?
    public var idsName: String?
    public var maskName: String?
    public var segmentName: String?

    // Audio
    public var sampleRate: UInt32?
    public var channels: UInt32?

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
