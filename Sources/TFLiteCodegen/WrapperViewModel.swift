/// Stage 2's result: everything the templates print, decided. Templates only loop over arrays and
/// test the `is…`/`has…` flags; every name, type, literal and doc line is computed here.
///
/// No field is a `String`: generated code is ``SwiftSource`` (made only by its escaping builders)
/// and documentation text is ``MarkdownText``, so model text cannot reach a template raw.
package struct WrapperViewModel: Sendable {
    /// `//` lines at the top of the file (with the file name, and what metadata would add when
    /// the model has none).
    public var headerLines: [SwiftSource]
    /// The model's file name as a string literal.
    public var modelFileNameLiteral: SwiftSource
    /// The file name without its extension, as a string literal (`ModelRunner(resource:)`).
    public var resourceNameLiteral: SwiftSource
    public var className: SwiftSource
    public var inputType: SwiftSource
    public var outputType: SwiftSource
    /// `public` or `internal`.
    public var access: SwiftSource
    /// `Foundation.Bundle.main` or `Foundation.Bundle.module`.
    public var bundle: SwiftSource
    public var apiVersion: Int
    /// `///` lines for the wrapper class.
    public var docLines: [SwiftSource]
    /// `///` lines for `init(configuration:options:)`.
    public var resourceInitDocLines: [SwiftSource]
    /// `///` lines for `Configuration.locale` (with the label locales available).
    public var localeDocLines: [SwiftSource]
    public var hasMetadata: Bool
    /// The arguments of `prediction(…)`: one per input, or one tensor array above
    /// `WrapperTranslator.tensorArrayThreshold` inputs.
    public var inputs: [InputViewModel]
    /// The properties of the output type: one per output, or one tensor array.
    public var outputs: [OutputViewModel]
    /// `TFLiteRuntime.ModelDescription(…)`: the wrapper's `static let modelDescription`.
    public var modelDescriptionLiteral: SwiftSource
    /// `["probability": probabilityClassifier.labels, …]`, for the instance's `modelDescription`.
    public var labelsLiteral: SwiftSource
    public var inputCount: Int
    public var outputCount: Int
    /// Documentation (`Name.md`).
    public var title: MarkdownText
    public var modelFileNameText: MarkdownText
    public var descriptionText: MarkdownText
    public var hasDescription: Bool
    public var snippetLines: [SwiftSource]
    public var diagnostics: [MarkdownText]
    public var hasDiagnostics: Bool
}

/// One argument of `prediction(…)` (one tensor, three for a BERT tokenizer, or all of them as an array).
package struct InputViewModel: Sendable {
    /// The identifier (also the stem of derived ones: `imagePreprocessor`).
    public var name: SwiftSource
    /// The name as a string literal, for errors.
    public var nameLiteral: SwiftSource = "\"\""
    public var type: SwiftSource
    public var docLines: [SwiftSource]
    public var tensorIndex: Int
    public var last: Bool
    public var isImage = false
    public var isAudio = false
    public var isFeatures = false
    public var isValues = false
    public var isRegexText = false
    public var isBertText = false
    /// Every input as `[[Swift.Float]]`, written in order.
    public var isTensorArray = false
    /// `TFLiteRuntime.ImagePreprocessor(…)` / `TFLiteRuntime.AudioPreprocessor(…)`.
    public var preprocessor: SwiftSource = ""
    public var patternLiteral: SwiftSource = ""
    public var vocabularyFileLiteral: SwiftSource = ""
    public var idsIndex = 0
    public var maskIndex = 0
    public var segmentIdsIndex = 0
    /// An example argument for the usage snippet.
    public var example: SwiftSource
    /// For the usage table: `TensorImage`, shape and type.
    public var summary: MarkdownText
}

/// One property of the output type.
package struct OutputViewModel: Sendable {
    public var name: SwiftSource
    public var type: SwiftSource
    public var docLines: [SwiftSource]
    public var tensorIndex: Int
    public var last: Bool
    public var isClassification = false
    public var isDetection = false
    public var isSegmentation = false
    public var isFloatTensor = false
    public var isValuesTensor = false
    /// Every output as `[TFLiteRuntime.ShapedArray<Swift.Float>]`, in order.
    public var isTensorArray = false
    public var scalarType: SwiftSource = ""
    /// Label files for classifications, detections and masks.
    public var labelFiles: [LabelFileViewModel] = []
    /// The labelled axis' size as a literal (`5`) or `nil`.
    public var labelCountLiteral: SwiftSource = "nil"
    public var hasCalibration = false
    public var calibrationFileLiteral: SwiftSource = ""
    public var calibrationTransformation: SwiftSource = ""
    public var calibrationDefaultScore: SwiftSource = ""
    public var thresholdLiteral: SwiftSource = "nil"
    public var locationIndex = 0
    public var categoryIndex = 0
    public var scoreIndex = 0
    public var numberIndex = 0
    public var hasNumber = false
    public var boxIndexLiteral: SwiftSource = ""
    public var boxType: SwiftSource = ""
    public var coordinateType: SwiftSource = ""
    public var imageInputName: SwiftSource = ""
    public var inputWidth = 0
    public var inputHeight = 0
    public var hasImageInput = false
    public var summary: MarkdownText
}

package struct LabelFileViewModel: Sendable {
    public var fileLiteral: SwiftSource
    public var localeLiteral: SwiftSource
    public var last: Bool
}
