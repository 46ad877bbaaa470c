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

/// Fills benchmark inputs with pseudo-random values in a range: `--input-range`, else floats
/// in [-1, 1], 8- and 16-bit integers over their whole range, int32/int64 in [0, rows − 1] when
/// the input indexes a table (``IndexBounds``) and [0, 7] otherwise, booleans 0/1.
enum InputFiller {
    /// The range used for `tensor` when the command line gives none; `rows` is the size of the
    /// table the input indexes, if it indexes one.
    static func defaultRange(for tensor: RuntimeTensor, rows: Int?) -> ClosedRange<Double>? {
        switch tensor.type {
        case .float32, .float16, .float64: -1...1
        case .int8: Double(Int8.min)...Double(Int8.max)
        case .uint8: 0...Double(UInt8.max)
        case .int16: Double(Int16.min)...Double(Int16.max)
        case .int32, .int64: 0...Double(max(0, (rows ?? 8) - 1))
        case .bool: 0...1
        default: nil
        }
    }

    /// `tensor.elementCount` values drawn from `range` (integers from the integers inside it).
    static func data(for tensor: RuntimeTensor, range: ClosedRange<Double>?, name: String,
                     using generator: inout SplitMix64) throws -> Data {
        let count = tensor.elementCount
        func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
        func integers<T: FixedWidthInteger>(_ type: T.Type) throws -> [T] {
            guard let range, let low = Int64(exactly: range.lowerBound.rounded(.up)),
                  let high = Int64(exactly: range.upperBound.rounded(.down)),
                  low <= high, low >= Int64(T.min), high <= Int64(T.max) else {
                throw ToolFailure("--input-range for input \(name) holds no \(tensor.type) value\(range.map { " (\($0.lowerBound)...\($0.upperBound))" } ?? "")")
            }
            return (0..<count).map { _ in T(truncatingIfNeeded: Int64.random(in: low...high, using: &generator)) }
        }
        switch tensor.type {
        case .float32:
            let low = Float(range?.lowerBound ?? -1), high = Float(range?.upperBound ?? 1)
            guard low.isFinite, high.isFinite, (high - low).isFinite else {
                throw ToolFailure("--input-range for input \(name) is wider than float32 can draw from")
            }
            return bytes((0..<count).map { _ in Float.random(in: low...high, using: &generator) })
        case .int8: return bytes(try integers(Int8.self))
        case .uint8: return bytes(try integers(UInt8.self))
        case .int16: return bytes(try integers(Int16.self))
        case .int32: return bytes(try integers(Int32.self))
        case .int64: return bytes(try integers(Int64.self))
        case .bool: return bytes(try integers(UInt8.self).map { $0 == 0 ? UInt8(0) : 1 })
        default:
            guard let width = tensor.type.byteWidth else {
                throw ToolFailure("input \(name) has type \(tensor.type), which bench cannot fill")
            }
            return Data(count: count * width)
        }
    }
}
