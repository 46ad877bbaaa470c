import ArgumentParser
import Foundation
import TFLiteModel
import TFLiteQuantizer

extension QuantizationMode: ExpressibleByArgument {}

/// `tflquant`: post-training quantization of a `.tflite` model, thin over `TFLiteQuantizer`.
@main
struct TFLQuant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tflquant",
        abstract: "Quantize a TensorFlow Lite model (float16, dynamic range, int8 weight-only).",
        discussion: """
            Writes a new model; metadata, signatures and packed files are kept. Nothing is \
            written on error. int8 and int16x8 (full integer) need calibration samples and are \
            not available yet.
            """
    )

    @Argument(help: "The float .tflite model.")
    var model: String

    @Option(name: .long, help: "float16, dynamic, weight-int8 (int8 and int16x8 need calibration).")
    var mode: QuantizationMode

    @Option(name: .shortAndLong, help: "Where to write the quantized model.")
    var output: String

    @Option(name: .customLong("keep-float"),
            help: ArgumentHelp("Keep operators float32 whose output tensor name or operator name (CONV_2D) matches this shell glob (*, ?, [...]); repeatable.",
                               valueName: "pattern"))
    var keepFloat: [String] = []

    @Option(name: .customLong("min-elements"), help: "Weights with fewer elements stay float32 (dynamic, weight-int8).")
    var minElements: Int = 1024

    @Flag(name: .long, help: "Print a JSON summary (sizes, tensors quantized and kept, time).")
    var json = false

    func validate() throws {
        if minElements < 0 { throw ValidationError("--min-elements must not be negative") }
        if mode.needsCalibration {
            throw ValidationError("--mode \(mode.rawValue) needs calibration samples, which this version of tflquant does not take yet")
        }
    }

    func run() throws {
        let summary: QuantizationSummary
        do {
            summary = try Quantizer.quantize(model, mode: mode, options: QuantizationOptions(keepFloat: keepFloat, minElements: minElements),
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
            print("\(DisplayText.escaped(output)): \(summary.outputBytes) bytes (\(String(format: "%.1f", ratio)) % of \(summary.inputBytes)), "
                  + "\(summary.quantized.count) weight tensors \(mode.rawValue), \(summary.keptFloat.count) kept float")
        }
    }
}
