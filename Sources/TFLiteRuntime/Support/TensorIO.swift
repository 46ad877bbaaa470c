#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Element types that generated wrappers read and write directly.
public protocol TensorScalar: Sendable {
    /// The tensor element type values of this type are stored as.
    static var tensorType: TensorType { get }
}
extension Float: TensorScalar { public static var tensorType: TensorType { .float32 } }
extension Double: TensorScalar { public static var tensorType: TensorType { .float64 } }
extension Int8: TensorScalar { public static var tensorType: TensorType { .int8 } }
extension UInt8: TensorScalar { public static var tensorType: TensorType { .uint8 } }
extension Int16: TensorScalar { public static var tensorType: TensorType { .int16 } }
extension Int32: TensorScalar { public static var tensorType: TensorType { .int32 } }
extension Int64: TensorScalar { public static var tensorType: TensorType { .int64 } }
extension Bool: TensorScalar { public static var tensorType: TensorType { .bool } }


extension Interpreter {
    /// Writes `values` into input `index`, quantizing them (round to nearest, clamp) when the
    /// tensor is quantized. `name` names the argument in errors.
    @_spi(GeneratedCode) public func writeFeatures(_ values: [Float], toInputAt index: Int, name: String) throws {
        let info = try inputTensor(at: index)
        guard values.count == info.elementCount else {
            throw ModelWrapperError.invalidInput(name: name, reason: "expected \(info.elementCount) values (shape \(info.shape)), got \(values.count)")
        }
        try withInput(at: index) { raw in
            try TensorQuantizer(type: info.type, quantization: info.quantization, name: name).store(values, into: raw)
        }
    }

    /// Writes `values` of the tensor's own element type into input `index`.
    @_spi(GeneratedCode) public func writeValues<T: TensorScalar>(_ values: [T], toInputAt index: Int, name: String) throws {
        let info = try inputTensor(at: index)
        guard info.type == T.tensorType else {
            throw ModelWrapperError.invalidInput(name: name, reason: "the tensor holds \(info.type), not \(T.tensorType)")
        }
        guard values.count == info.elementCount else {
            throw ModelWrapperError.invalidInput(name: name, reason: "expected \(info.elementCount) values (shape \(info.shape)), got \(values.count)")
        }
        try withInput(at: index) { raw in
            values.withUnsafeBytes { source in raw.copyMemory(from: source) }
        }
    }

    /// Output `index` as floats, dequantized (`scale × (q − zeroPoint)`) when quantized.
    @_spi(GeneratedCode) public func dequantizedOutput(at index: Int) throws -> ShapedArray<Float> {
        let info = try outputTensor(at: index)
        let count = info.elementCount
        let scale = info.quantization?.scale
        let zeroPoint = Float(info.quantization?.zeroPoint ?? 0)
        func convert<T>(_ type: T.Type, _ raw: UnsafeRawBufferPointer, _ value: (T) -> Float) -> [Float] {
            let typed = raw.bindMemory(to: T.self)
            return (0..<count).map { i in
                let v = value(typed[i])
                if let scale { return scale * (v - zeroPoint) }
                return v
            }
        }
        let scalars: [Float] = try withOutput(at: index) { raw -> [Float] in
            switch info.type {
            case .float32: return Array(raw.bindMemory(to: Float.self).prefix(count))
            case .uint8: return convert(UInt8.self, raw) { Float($0) }
            case .int8: return convert(Int8.self, raw) { Float($0) }
            case .int16: return convert(Int16.self, raw) { Float($0) }
            case .int32: return convert(Int32.self, raw) { Float($0) }
            case .int64: return convert(Int64.self, raw) { Float($0) }
            case .float64: return convert(Double.self, raw) { Float($0) }
            case .bool: return convert(Bool.self, raw) { $0 ? 1 : 0 }
            default:
                throw ModelWrapperError.invalidOutput(name: info.name, reason: "cannot read \(info.type) as numbers")
            }
        }
        return ShapedArray(shape: info.shape, scalars: scalars)
    }

    /// Output `index` in its own element type.
    @_spi(GeneratedCode) public func outputValues<T: TensorScalar>(at index: Int, as type: T.Type = T.self) throws -> ShapedArray<T> {
        let info = try outputTensor(at: index)
        guard info.type == T.tensorType else {
            throw ModelWrapperError.invalidOutput(name: info.name, reason: "the tensor holds \(info.type), not \(T.tensorType)")
        }
        let scalars = try withOutput(at: index) { raw in Array(raw.bindMemory(to: T.self).prefix(info.elementCount)) }
        return ShapedArray(shape: info.shape, scalars: scalars)
    }
}

/// Converts real values to a tensor's storage type: float32 as is; integer types quantized with
/// the tensor's scale and zero point (`round(x / scale) + zeroPoint`, ties away from zero, then
/// clamped), or rounded and clamped when the tensor is not quantized.
@_spi(GeneratedCode) public struct TensorQuantizer: Sendable {
    @_spi(GeneratedCode) public let type: TensorType
    @_spi(GeneratedCode) public let scale: Float?
    @_spi(GeneratedCode) public let zeroPoint: Float
    @_spi(GeneratedCode) public let name: String

    package init(type: TensorType, quantization: Quantization?, name: String) {
        self.type = type
        self.scale = quantization.flatMap { $0.scales.isEmpty ? nil : $0.scale }
        self.zeroPoint = Float(quantization?.zeroPoint ?? 0)
        self.name = name
    }

    /// The stored integer for `value` in `range`.
    @inline(__always)
    @_spi(GeneratedCode) public func quantize(_ value: Float, min: Float, max: Float) -> Float {
        var q = value
        if let scale, scale != 0 { q = (value / scale).rounded() + zeroPoint } else { q = value.rounded() }
        return Swift.min(Swift.max(q, min), max)
    }

    @_spi(GeneratedCode) public func store(_ values: [Float], into raw: UnsafeMutableRawBufferPointer) throws {
        switch type {
        case .float32:
            let out = raw.bindMemory(to: Float.self)
            for i in values.indices { out[i] = values[i] }
        case .uint8:
            let out = raw.bindMemory(to: UInt8.self)
            for i in values.indices { out[i] = UInt8(quantize(values[i], min: 0, max: 255)) }
        case .int8:
            let out = raw.bindMemory(to: Int8.self)
            for i in values.indices { out[i] = Int8(quantize(values[i], min: -128, max: 127)) }
        case .int16:
            let out = raw.bindMemory(to: Int16.self)
            for i in values.indices { out[i] = Int16(quantize(values[i], min: -32768, max: 32767)) }
        case .int32:
            let out = raw.bindMemory(to: Int32.self)
            for i in values.indices { out[i] = Int32(quantize(values[i], min: -2_147_483_648, max: 2_147_483_520)) }
        default:
            throw ModelWrapperError.invalidInput(name: name, reason: "cannot write numbers into a \(type) tensor")
        }
    }
}
