#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// What to quantize and what to leave alone.
public struct QuantizationOptions: Sendable {
    /// Operators whose output tensor name or operator name (`CONV_2D`, a custom code) matches
    /// one of these shell globs (`fnmatch`: `*`, `?`, `[…]`) stay float32.
    public var keepFloat: [String]
    /// Weights with fewer elements stay float32 in the int8 modes; nil: the reference tool's
    /// default, 1024 for `dynamic` (the converter's), 0 for `weight-int8` (litert-quantizer's).
    public var minElements: Int?

    /// Calibration samples of the full-integer modes: one `.npy` per model input, in input
    /// order, samples along axis 0: each file has its input's dtype and shape `(N, …)`, the
    /// input's other dimensions.
    public var calibration: [String] = []
    /// Instead of ``calibration``: a folder of PNG and JPEG files for a model with one image
    /// input (`--calibration-images`), each decoded by TFLiteImageIO and preprocessed as the
    /// model's metadata says, with the generated wrappers' own preprocessing.
    public var calibrationImages: String?
    /// At most this many calibration samples (nil: all).
    public var samples: Int?
    /// Input and output types of the full-integer modes.
    public var io: IOType = .float
    /// Draw a progress bar on standard error while calibrating (when it is a terminal).
    public var progress = false
    /// Full-integer modes: a litert-quantizer recipe choosing which operators are quantized.
    public var recipe: QuantizationRecipe?
    /// Full-integer modes: write a per-tensor error report (``QuantizationReport``) as JSON here.
    public var reportPath: String?
    /// Samples the report measures on instead of the calibration samples (held-out inputs):
    /// one `.npy` per model input, in input order, samples along axis 0; all are used.
    public var reportSamples: [String] = []

    /// Creates options; each parameter sets the property of the same name. The defaults quantize
    /// every eligible weight, with float inputs and outputs and no report.
    public init(keepFloat: [String] = [], minElements: Int? = nil, calibration: [String] = [], calibrationImages: String? = nil,
                samples: Int? = nil, io: IOType = .float, progress: Bool = false, reportPath: String? = nil,
                recipe: QuantizationRecipe? = nil, reportSamples: [String] = []) {
        self.calibrationImages = calibrationImages
        self.reportPath = reportPath
        self.reportSamples = reportSamples
        self.recipe = recipe
        self.keepFloat = keepFloat
        self.minElements = minElements
        self.calibration = calibration
        self.samples = samples
        self.io = io
        self.progress = progress
    }
}

/// What a quantization run did.
public struct QuantizationSummary: Sendable, Codable {
    /// The input model's path.
    public var input: String
    /// The output model's path.
    public var output: String
    /// The mode's name as `tflquant` takes it (``QuantizationMode`` raw value, e.g. `weight-int8`).
    public var mode: String
    /// The input file's size in bytes.
    public var inputBytes: Int
    /// The output file's size in bytes.
    public var outputBytes: Int
    /// Weight tensors stored in the new format (subgraph-qualified names).
    public var quantized: [String]
    /// Weight tensors left float32, with why (`keep-float`, `below min-elements`, …).
    public var keptFloat: [Kept]
    /// Wall time of reading, rewriting and writing, in seconds.
    public var seconds: Double
    /// Full-integer modes: operators left float (`--keep-float`, no integer kernel) and what
    /// was changed so LiteRT accepts the model.
    public var floatOperators: [Kept] = []
    /// Changes made to the graph so LiteRT accepts the full-integer model (e.g. requantized
    /// inputs of concatenations), one sentence each.
    public var adjustments: [String] = []
    /// The error report, when one was asked for (`--report`).
    public var report: QuantizationReport?

    /// A tensor or operator left float32, and why.
    public struct Kept: Sendable, Codable, Equatable {
        /// The subgraph-qualified tensor name, or `operator N (NAME)` for an operator.
        public var tensor: String
        /// Why it stays float (`keep-float`, `below min-elements`, no integer kernel, …).
        public var reason: String
    }
}

/// Why quantizing failed: the file, the field, what is wrong.
public struct QuantizationError: Error, Equatable, CustomStringConvertible {
    /// The model, sample or recipe file at fault.
    public let file: String
    /// The tensor, operator, field or option at fault, when there is one.
    public let field: String?
    /// What is wrong, in one sentence.
    public let reason: String

    /// Creates an error about `file` (and `field`).
    public init(file: String, field: String?, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    init(_ error: ModelError) {
        self.init(file: error.file, field: error.field, reason: error.reason)
    }

    public var description: String {
        let safe = DisplayText.escaped(reason)
        if let field { return "\(file): \(DisplayText.escaped(field)): \(safe)" }
        return "\(file): \(safe)"
    }
}

/// Post-training quantization of a `.tflite` model into another: the entry point of
/// `tflquant`. Weight-only modes (`float16`, `dynamic`, `weight-int8`) rewrite weights in place;
/// the calibrated modes (`int8`, `int16x8`) plug in here with their calibration inputs.
public enum Quantizer {
    /// Quantizes the model at `input` in `mode` and writes it to `output` (atomically; nothing
    /// is written on error). Metadata, signatures and packed files are kept.
    @discardableResult
    public static func quantize(_ input: String, mode: QuantizationMode, options: QuantizationOptions = QuantizationOptions(),
                                to output: String) throws(QuantizationError) -> QuantizationSummary {
        let start = ContinuousClock.now
        guard (options.minElements ?? 0) >= 0 else {
            throw QuantizationError(file: input, field: nil, reason: "--min-elements must not be negative")
        }
        let model: Model
        let files: AssociatedFiles
        do {
            model = try Model(contentsOf: input)
            files = try AssociatedFiles(storage: model.storage)
        } catch {
            throw QuantizationError(error)
        }
        var summary = QuantizationSummary(input: input, output: output, mode: mode.rawValue, inputBytes: model.storage.count,
                                          outputBytes: 0, quantized: [], keptFloat: [], seconds: 0)
        switch mode {
        case .float16, .dynamic, .weightInt8:
            do {
                var rewrite = try WeightRewrite(model: model, files: files, mode: mode, options: options)
                try rewrite.run()
                summary.quantized = rewrite.quantized
                summary.keptFloat = rewrite.kept
                summary.outputBytes = try rewrite.rewriter.write(to: output)
            } catch {
                throw QuantizationError(error)
            }
        case .int8, .int16x8:
            try FullIntegerQuantization.run(model: model, files: files, mode: mode, options: options, output: output, summary: &summary)
        }
        let elapsed = ContinuousClock.now - start
        summary.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return summary
    }
}
