import Foundation
import TFLiteRuntime

/// A digit-classifier model made outside the bundle (by `tflquant`, from the bundled float32
/// model), given as `--tflquant KEY=PATH` and run directly through the interpreter: no generated
/// wrapper, so the demo can measure whatever modes `tflquant` makes without rebuilding the app.
struct QuantizedRow {
    /// The variant it stands beside (`float16`, `dynamic_range`, `int8`, `int16x8`).
    var variant: Variant
    var path: String

    /// Parses `KEY=PATH`; KEY is a variant's key.
    init(argument: String) throws {
        guard let separator = argument.firstIndex(of: "=") else {
            throw DemoError("--tflquant takes KEY=PATH, got \(argument)")
        }
        let key = String(argument[..<separator])
        guard let variant = Variant.all.first(where: { $0.key == key }) else {
            throw DemoError("--tflquant: unknown variant \(key) (one of \(Variant.all.map(\.key).joined(separator: ", ")))")
        }
        self.variant = variant
        self.path = String(argument[argument.index(after: separator)...])
    }

    /// Name as the table writes it.
    var name: String { "tflquant " + variant.name }
    /// Key of its LiteRT results in the `--litert` file.
    var litertKey: String { "tflquant_" + variant.key }

    /// The file's size in bytes (0 when unreadable).
    var size: Int { ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0 }

    /// Loads the model and returns a function giving the predicted digit of one 8×8 gray image
    /// (pixels 0…255; the model takes pixels / 255, quantized as its input requires).
    func load() throws -> ([UInt8]) throws -> Int {
        let interpreter = try Interpreter(modelPath: path)
        try interpreter.allocateTensors()
        let input = try interpreter.input(at: 0)
        guard input.shape.reduce(1, *) == 64 else {
            throw DemoError("\(path): input 0 has shape \(input.shape), expected 64 elements (8×8×1)")
        }
        let quantization = input.quantizationParameters
        let encode: ([UInt8]) throws -> Data
        switch input.dataType {
        case .float32:
            encode = { pixels in pixels.map { Float($0) / 255 }.withUnsafeBufferPointer { Data(buffer: $0) } }
        case .uint8, .int8, .int16:
            guard let quantization, quantization.scale > 0 else {
                throw DemoError("\(path): input 0 is \(input.dataType) without a positive scale")
            }
            let (low, high): (Float, Float) = input.dataType == .uint8 ? (0, 255) : input.dataType == .int8 ? (-128, 127) : (-32768, 32767)
            let quantize = { (pixel: UInt8) -> Float in
                min(high, max(low, (Float(pixel) / 255 / quantization.scale).rounded() + Float(quantization.zeroPoint)))
            }
            switch input.dataType {
            case .uint8: encode = { Data($0.map { UInt8(quantize($0)) }) }
            case .int8: encode = { $0.map { Int8(quantize($0)) }.withUnsafeBufferPointer { Data(buffer: $0) } }
            default: encode = { $0.map { Int16(quantize($0)) }.withUnsafeBufferPointer { Data(buffer: $0) } }
            }
        default:
            throw DemoError("\(path): input 0 is \(input.dataType), expected float32, uint8, int8 or int16")
        }
        return { pixels in
            try interpreter.copy(try encode(pixels), toInputAt: 0)
            try interpreter.invoke()
            let output = try interpreter.output(at: 0)
            let scores = try Self.values(output, path: self.path)
            return scores.indices.max { scores[$0] < scores[$1] } ?? -1
        }
    }

    /// The output's values as real numbers (quantized outputs dequantized).
    private static func values(_ tensor: Tensor, path: String) throws -> [Double] {
        let scale = Double(tensor.quantizationParameters?.scale ?? 1)
        let zero = Double(tensor.quantizationParameters?.zeroPoint ?? 0)
        func read<T>(_: T.Type, _ convert: (T) -> Double) -> [Double] {
            tensor.data.withUnsafeBytes { raw in
                (0..<(raw.count / MemoryLayout<T>.stride)).map { convert(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self)) }
            }
        }
        switch tensor.dataType {
        case .float32: return read(Float.self) { Double($0) }
        case .uint8: return read(UInt8.self) { (Double($0) - zero) * scale }
        case .int8: return read(Int8.self) { (Double($0) - zero) * scale }
        case .int16: return read(Int16.self) { (Double($0) - zero) * scale }
        default: throw DemoError("\(path): output 0 is \(tensor.dataType), expected float32, uint8, int8 or int16")
        }
    }
}
