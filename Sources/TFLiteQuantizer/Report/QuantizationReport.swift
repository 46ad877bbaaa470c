#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// How far a quantized model's values are from the float model's on the same samples, tensor by
/// tensor and at the outputs, as TensorFlow's quantization debugger tabulates it: what a user
/// reads to choose `--keep-float` candidates.
public struct QuantizationReport: Codable, Sendable {
    /// One quantized activation.
    public struct Layer: Codable, Sendable, Equatable {
        /// The tensor's index in the float model.
        public var tensor: Int
        /// The tensor's name.
        public var name: String
        /// The operator that writes it (`CONV_2D`), or `input`.
        public var op: String
        /// The quantization scale chosen for it.
        public var scale: Float
        /// RMSE of the dequantized values divided by the scale (0.29 is pure rounding noise).
        public var rmseOverScale: Double
        /// The largest absolute difference between the dequantized and the float values, in the
        /// tensor's units.
        public var maxError: Double
        /// SQNR in dB (null when there is no error).
        public var sqnr: Double?
        /// The number of values compared (elements × samples).
        public var elements: Int
    }

    /// One model output.
    public struct Output: Codable, Sendable, Equatable {
        /// The output's position among the model's outputs.
        public var index: Int
        /// The output tensor's name.
        public var name: String
        /// Signal-to-quantization-noise ratio in dB (null when there is no error).
        public var sqnr: Double?
        /// The largest absolute difference from the float model's output.
        public var maxError: Double
        /// The fraction of rows (along the last axis) whose largest entry is the same in both
        /// models; null for outputs with a last dimension of 1.
        public var top1Agreement: Double?
    }

    /// The float model's path.
    public var model: String
    /// The mode's name (`int8`, `int16x8`).
    public var mode: String
    /// The number of calibration samples both models ran.
    public var samples: Int
    /// Every quantized activation, in tensor order.
    public var layers: [Layer]
    /// Every model output, in output order.
    public var outputs: [Output]

    /// The `count` layers with the lowest SQNR (largest relative error) first.
    public func worstLayers(_ count: Int = 10) -> [Layer] {
        Array(layers.sorted { ($0.sqnr ?? .infinity, $0.tensor) < ($1.sqnr ?? .infinity, $1.tensor) }.prefix(count))
    }

    /// The worst layers and the outputs as a text table (model text escaped).
    public func table(worst count: Int = 10) -> String {
        func db(_ value: Double?) -> String { value.map { String(printf: "%7.2f", $0) } ?? "    inf" }
        var lines = ["worst \(min(count, layers.count)) of \(layers.count) quantized tensors on \(samples) sample\(samples == 1 ? "" : "s"):",
                     "  SQNR dB  RMSE/scale   max error  operator           tensor"]
        for layer in worstLayers(count) {
            let op = String(layer.op.prefix(18)) + String(repeating: " ", count: Swift.max(0, 18 - layer.op.count))
            lines.append("  \(db(layer.sqnr))  \(String(printf: "%10.3f", layer.rmseOverScale))  \(String(printf: "%10.4g", layer.maxError))  \(op) \(DisplayText.escaped(layer.name))")
        }
        for output in outputs {
            let agreement = output.top1Agreement.map { String(printf: ", top-1 agreement %.1f %%", $0 * 100) } ?? ""
            lines.append("output \(output.index) (\(DisplayText.escaped(output.name))): SQNR \(db(output.sqnr).drop(while: { $0 == " " })) dB, max error \(String(printf: "%.4g", output.maxError))\(agreement)")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON (sorted keys; infinite SQNR as null).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
