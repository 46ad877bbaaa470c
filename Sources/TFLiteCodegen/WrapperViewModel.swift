/// Stage 2's result: everything the templates print, decided. Templates only loop over arrays and
/// test the `is…`/`has…` flags; every name, type, literal and doc line is computed here.
public struct WrapperViewModel: Sendable {
    public var header: String
    public var modelFileName: String
    public var resourceName: String
    public var className: String
    public var inputType: String
    public var outputType: String
    public var access: String
    public var bundle: String
    public var apiVersion: Int
    /// `///` lines for the wrapper class.
    public var docLines: [String]
    public var hasMetadata: Bool
    /// Comment lines (`// …`) explaining what metadata would add, for models without it.
    public var noMetadataLines: [String]
    public var inputs: [InputViewModel]
    public var outputs: [OutputViewModel]
    public var inputCount: Int
    public var outputCount: Int
    /// Label locales available, for the configuration's doc (`en, fr`), or "".
    public var localesText: String
    public var hasLocales: Bool
    /// Documentation (`Name.md`).
    public var title: String
    public var descriptionText: String
    public var hasDescription: Bool
    public var snippetLines: [String]
    public var diagnostics: [String]
    public var hasDiagnostics: Bool
}

/// One argument of `prediction(…)` (one tensor, or three for a BERT tokenizer).
public struct InputViewModel: Sendable {
    /// As written in code (keywords in backquotes).
    public var name: String
    /// For derived identifiers (`imagePreprocessor`).
    public var baseName: String
    public var type: String
    public var docLines: [String]
    public var tensorIndex: Int
    public var last: Bool
    public var isImage = false
    public var isAudio = false
    public var isFeatures = false
    public var isValues = false
    public var isRegexText = false
    public var isBertText = false
    /// `ImagePreprocessor(…)` / `AudioPreprocessor(…)`.
    public var preprocessor = ""
    public var patternLiteral = ""
    public var vocabularyFileLiteral = ""
    public var idsIndex = 0
    public var maskIndex = 0
    public var segmentIdsIndex = 0
    /// An example argument for the usage snippet.
    public var example: String
    /// For the usage table: `TensorImage`, shape and type.
    public var summary: String
}

/// One property of the output type.
public struct OutputViewModel: Sendable {
    public var name: String
    public var baseName: String
    public var type: String
    public var docLines: [String]
    public var tensorIndex: Int
    public var last: Bool
    public var isClassification = false
    public var isDetection = false
    public var isSegmentation = false
    public var isFloatTensor = false
    public var isValuesTensor = false
    public var scalarType = ""
    /// Label files for classifications, detections and masks.
    public var labelFiles: [LabelFileViewModel] = []
    /// The labelled axis' size as a literal (`5`) or `nil`.
    public var labelCountLiteral = "nil"
    public var hasCalibration = false
    public var calibrationFileLiteral = ""
    public var calibrationTransformation = ""
    public var calibrationDefaultScore = ""
    public var thresholdLiteral = "nil"
    public var locationIndex = 0
    public var categoryIndex = 0
    public var scoreIndex = 0
    public var numberIndex = 0
    public var hasNumber = false
    public var boxIndexLiteral = ""
    public var boxType = ""
    public var coordinateType = ""
    public var imageInputName = ""
    public var inputWidth = 0
    public var inputHeight = 0
    public var hasImageInput = false
    public var summary: String
}

public struct LabelFileViewModel: Sendable {
    public var fileLiteral: String
    public var localeLiteral: String
    public var last: Bool
}
