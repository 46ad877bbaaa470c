import Foundation
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// The reference: the same model run through `Interpreter` directly, with preprocessing written
/// out by hand, so the generated wrappers can be checked number for number.
enum DirectInterpreter {
    static func modelURL(_ name: String) -> URL { Fixtures.url("codegen/models/\(name).tflite") }

    static func packedText(_ fixture: String, _ file: String) throws -> String {
        try String(contentsOf: Fixtures.url("metadata/\(fixture)/files/\(file)"), encoding: .utf8)
    }

    static func labels(_ fixture: String, _ file: String = "labels.txt") throws -> [String] {
        try packedText(fixture, file).split(separator: "\n").map(String.init)
    }

    /// Runs `model` with each input given as real values (quantized by hand when the tensor is)
    /// or int32 ids, and returns every output dequantized by hand.
    static func run(_ name: String, floats: [Int: [Float]] = [:], ints: [Int: [Int32]] = [:]) throws -> [[Float]] {
        let interpreter = try Interpreter(modelPath: modelURL(name).path)
        try interpreter.allocateTensors()
        for (index, values) in floats {
            let info = try interpreter.inputTensor(at: index)
            var data = Data()
            switch info.type {
            case .float32:
                values.withUnsafeBytes { data.append(contentsOf: $0) }
            case .uint8:
                let scale = info.quantization!.scale, zero = Float(info.quantization!.zeroPoint)
                data = Data(values.map { UInt8(min(max(($0 / scale).rounded(.toNearestOrAwayFromZero) + zero, 0), 255)) })
            case .int8:
                let scale = info.quantization!.scale, zero = Float(info.quantization!.zeroPoint)
                data = Data(values.map { UInt8(bitPattern: Int8(min(max(($0 / scale).rounded(.toNearestOrAwayFromZero) + zero, -128), 127))) })
            default:
                fatalError("unsupported input type \(info.type)")
            }
            try interpreter.copy(data, toInputAt: index)
        }
        for (index, values) in ints {
            var data = Data()
            values.withUnsafeBytes { data.append(contentsOf: $0) }
            try interpreter.copy(data, toInputAt: index)
        }
        try interpreter.invoke()
        return try (0..<interpreter.outputTensorCount).map { index in
            let tensor = try interpreter.output(at: index)
            let scale = tensor.quantizationParameters?.scale
            let zero = Float(tensor.quantizationParameters?.zeroPoint ?? 0)
            func dequantize(_ q: Float) -> Float { scale.map { $0 * (q - zero) } ?? q }
            switch tensor.dataType {
            case .float32: return tensor.data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            case .uint8: return tensor.data.map { dequantize(Float($0)) }
            case .int8: return tensor.data.map { dequantize(Float(Int8(bitPattern: $0))) }
            default: fatalError("unsupported output type \(tensor.dataType)")
            }
        }
    }

    /// A deterministic RGB test image.
    static func pixels(width: Int, height: Int, seed: Int = 7) -> [UInt8] {
        (0..<(width * height * 3)).map { UInt8((($0 * 37 + seed * 11) ^ ($0 >> 3)) & 0xFF) }
    }

    /// `(p − mean) / std` for every byte.
    static func normalized(_ pixels: [UInt8], mean: [Float], std: [Float]) -> [Float] {
        pixels.enumerated().map { i, p in
            let c = i % 3
            return (Float(p) - (mean.count == 1 ? mean[0] : mean[c])) / (std.count == 1 ? std[0] : std[c])
        }
    }

    /// Indices sorted by score, best first (ties: lower index).
    static func ranking(_ scores: [Float]) -> [Int] {
        scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }
}
