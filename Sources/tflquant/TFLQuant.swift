import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
import TFLiteQuantizer

extension QuantizationMode: ExpressibleByArgument {}
extension IOType: ExpressibleByArgument {}

/// `tflquant`: post-training quantization of a `.tflite` model, thin over `TFLiteQuantizer`.
@main
struct TFLQuant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tflquant",
        abstract: "Quantize a TensorFlow Lite model (float16, dynamic range, int8 weight-only, full-integer int8 and int16x8).",
        discussion: """
            Writes a new model; metadata, signatures and packed files are kept. Nothing is \
            written on error. int8 and int16x8 (full integer) calibrate on samples: one .npy \
            per model input (--calibration, in input order), samples along axis 0; or, for a \
            model with one image input and image metadata, a folder of PNG/JPEG files \
            (--calibration-images), preprocessed as the metadata says, as generated wrappers do.
            """
    )

    @Argument(help: "The float .tflite model.")
    var model: String

    @Option(name: .long, help: "float16, dynamic, weight-int8, int8, int16x8 (the last two need --calibration).")
    var mode: QuantizationMode

    @Option(name: .shortAndLong, help: "Where to write the quantized model.")
    var output: String

    @Option(name: .customLong("keep-float"),
            help: ArgumentHelp("Keep operators float32 whose output tensor name or operator name (CONV_2D) matches this shell glob (*, ?, [...]); repeatable.",
                               valueName: "pattern"))
    var keepFloat: [String] = []

    @Option(name: .customLong("min-elements"),
            help: "Weights with fewer elements stay float32 (default: 1024 for dynamic as the converter, 0 for weight-int8 as litert-quantizer).")
    var minElements: Int?

    @Option(name: .customLong("calibration"),
            help: ArgumentHelp("Calibration samples for input N (the Nth time given): a .npy with samples along axis 0; int8 and int16x8.",
                               valueName: "file.npy"))
    var calibration: [String] = []

    @Option(name: .customLong("calibration-images"),
            help: ArgumentHelp("Calibration samples from the PNG and JPEG files of this folder (sorted by name), for a model with one image input: resized, colour-converted and normalized as its metadata says; int8 and int16x8.",
                               valueName: "dir"))
    var calibrationImages: String?

    @Option(name: .long, help: "Use at most this many calibration samples.")
    var samples: Int?

    @Option(name: .long, help: "Input and output types of full-integer models: float (QUANTIZE/DEQUANTIZE at the edges), int8, uint8 (int8 mode), int16 (int16x8 mode).")
    var io: IOType = .float

    @Option(name: .long, help: ArgumentHelp("Full-integer modes: a litert-quantizer recipe (JSON) choosing the operators to quantize (min_max_uniform_quantize, 8-bit asymmetric or 16-bit symmetric activations, 8-bit per-channel weights) or keep float (no_quantize).", valueName: "recipe.json"))
    var recipe: String?

    @Option(name: .long, help: ArgumentHelp("Full-integer modes: write a per-tensor error report (float vs dequantized values on the calibration samples: RMSE/scale, max error, SQNR, output top-1 agreement) as JSON, and print the ten worst tensors.", valueName: "report.json"))
    var report: String?

    @Option(name: .customLong("report-samples"),
            help: ArgumentHelp("With --report: measure on these samples instead of the calibration ones (held-out inputs; one .npy per model input, in input order).",
                               valueName: "file.npy"))
    var reportSamples: [String] = []

    @Flag(name: .long, help: "Print a JSON summary (sizes, tensors quantized and kept, time).")
    var json = false

    func validate() throws {
        if let minElements, minElements < 0 { throw ValidationError("--min-elements must not be negative") }
        if mode.needsCalibration, calibration.isEmpty, calibrationImages == nil {
            throw ValidationError("--mode \(mode.rawValue) needs calibration samples: --calibration X.npy (one per model input, in input order) or --calibration-images DIR")
        }
        if !calibration.isEmpty, calibrationImages != nil {
            throw ValidationError("--calibration and --calibration-images: give one or the other")
        }
        if !mode.needsCalibration, !calibration.isEmpty || calibrationImages != nil || samples != nil || io != .float || report != nil || recipe != nil || !reportSamples.isEmpty {
            throw ValidationError("--calibration, --calibration-images, --samples, --io, --recipe, --report and --report-samples apply to --mode int8 and int16x8")
        }
        if !reportSamples.isEmpty, report == nil { throw ValidationError("--report-samples needs --report") }
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        switch (mode, io) {
        case (.int8, .int16): throw ValidationError("--io int16 needs --mode int16x8")
        case (.int16x8, .int8), (.int16x8, .uint8): throw ValidationError("--io \(io.rawValue) needs --mode int8 (int16x8 takes float or int16)")
        default: break
        }
    }

    func run() throws {
        var recipe: QuantizationRecipe?
        if let path = self.recipe {
            do { recipe = try QuantizationRecipe(contentsOf: path) } catch { throw ToolFailure(error) }
        }
        let summary: QuantizationSummary
        do {
            summary = try Quantizer.quantize(model, mode: mode,
                                             options: QuantizationOptions(keepFloat: keepFloat, minElements: minElements, calibration: calibration,
                                                                          calibrationImages: calibrationImages,
                                                                          samples: samples, io: io, progress: !json, reportPath: report, recipe: recipe,
                                                                          reportSamples: reportSamples),
                                             to: output)
        } catch {
            throw ToolFailure(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            let ratio = summary.inputBytes > 0 ? Double(summary.outputBytes) / Double(summary.inputBytes) * 100 : 0
            if mode.needsCalibration {
                print("\(DisplayText.escaped(output)): \(summary.outputBytes) bytes (\(String(printf: "%.1f", ratio)) % of \(summary.inputBytes)), "
                      + "\(summary.quantized.count) tensors \(mode.rawValue), \(summary.floatOperators.count) operators kept float")
                for kept in summary.floatOperators { print("  float: \(DisplayText.escaped(kept.tensor)): \(DisplayText.escaped(kept.reason))") }
                for adjustment in summary.adjustments { print("  adjusted: \(DisplayText.escaped(adjustment))") }
                if let report = summary.report { print(report.table()) }
            } else {
                print("\(DisplayText.escaped(output)): \(summary.outputBytes) bytes (\(String(printf: "%.1f", ratio)) % of \(summary.inputBytes)), "
                      + "\(summary.quantized.count) weight tensors \(mode.rawValue), \(summary.keptFloat.count) kept float")
            }
        }
    }
}
