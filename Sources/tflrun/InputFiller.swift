import Foundation
import TFLiteModel
import TFLiteRuntime

/// A small deterministic random generator for benchmark inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fills benchmark inputs: floats in [-1, 1], integers over their range (int32/int64 in
/// [0, 8) so index-like inputs stay valid), booleans 0/1.
enum InputFiller {
    static func data(for tensor: RuntimeTensor, using generator: inout SplitMix64) throws -> Data {
        let count = tensor.elementCount
        func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
        switch tensor.type {
        case .float32: return bytes((0..<count).map { _ in Float.random(in: -1...1, using: &generator) })
        case .int8: return bytes((0..<count).map { _ in Int8.random(in: .min ... .max, using: &generator) })
        case .uint8: return bytes((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        case .int16: return bytes((0..<count).map { _ in Int16.random(in: .min ... .max, using: &generator) })
        case .int32: return bytes((0..<count).map { _ in Int32.random(in: 0..<8, using: &generator) })
        case .int64: return bytes((0..<count).map { _ in Int64.random(in: 0..<8, using: &generator) })
        case .bool: return bytes((0..<count).map { _ in UInt8.random(in: 0...1, using: &generator) })
        default:
            guard let width = tensor.type.byteWidth else {
                throw ToolFailure("input \(DisplayText.quoted(tensor.name)) has type \(tensor.type), which bench cannot fill")
            }
            return Data(count: count * width)
        }
    }
}
