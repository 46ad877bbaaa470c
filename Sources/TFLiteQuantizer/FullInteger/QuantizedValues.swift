#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Float values stored in a quantized type, rounded as the TensorFlow Lite converter rounds them:
/// multiply by the float32 inverse of the scale, round half away from zero, add the zero point,
/// clamp to the type (weights to the narrow range [−127, 127]).
package enum QuantizedValues {
    /// Why values could not be quantized.
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// The little-endian bytes of `values` (a tensor of `shape`) quantized with `parameters`
    /// (per tensor, or per channel along `parameters.axis`). `narrowRange` clamps int8 to
    /// [−127, 127] (symmetric weights).
    public static func quantize(_ values: [Float], shape: [Int], parameters: QuantizedParameters, narrowRange: Bool = false) throws(Failure) -> Data {
        let channels = parameters.scales.count
        let inner: Int
        if channels > 1 {
            guard shape.indices.contains(parameters.axis), shape[parameters.axis] == channels else {
                throw Failure(description: "\(channels) scales do not fit dimension \(parameters.axis) of shape \(shape)")
            }
            inner = shape[(parameters.axis + 1)...].reduce(1, *)
        } else {
            inner = 1
        }
        guard channels >= 1, parameters.zeroPoints.count == channels else {
            throw Failure(description: "\(channels) scales and \(parameters.zeroPoints.count) zero points")
        }
        let inverses = parameters.scales.map { $0 == 0 ? Float(0) : 1 / $0 }
        let (low, high): (Double, Double) = switch parameters.type {
        case .int8: (narrowRange ? -127 : -128, 127)
        case .uint8: (0, 255)
        case .int16: (-32768, 32767)
        case .int32: (Double(Int32.min), Double(Int32.max))
        case .int64: (-9.0e18, 9.0e18)
        default: throw Failure(description: "cannot store values as \(parameters.type)")
        }
        var data = Data(capacity: values.count * (parameters.type.byteWidth ?? 1))
        for (index, value) in values.enumerated() {
            let channel = channels > 1 ? (index / inner) % channels : 0
            // float32 arithmetic, as the converter's quantizer (biases too)
            let scaled = Double((value * inverses[channel]).rounded(.toNearestOrAwayFromZero))
            let clamped = Swift.min(Swift.max(scaled.isNaN ? 0 : scaled + Double(parameters.zeroPoints[channel]), low), high)
            switch parameters.type {
            case .int8: data.append(UInt8(bitPattern: Int8(clamped)))
            case .uint8: data.append(UInt8(clamped))
            case .int16: withUnsafeBytes(of: Int16(clamped).littleEndian) { data.append(contentsOf: $0) }
            case .int32: withUnsafeBytes(of: Int32(clamped).littleEndian) { data.append(contentsOf: $0) }
            default: withUnsafeBytes(of: Int64(clamped).littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// `bytes` of `type` dequantized with `parameters`: (q − zero point) × scale per element.
    public static func dequantize(_ bytes: UnsafeRawBufferPointer, count: Int, shape: [Int], parameters: QuantizedParameters,
                                  into output: inout [Float]) {
        let channels = Swift.max(parameters.scales.count, 1)
        let inner = channels > 1 && shape.indices.contains(parameters.axis) ? shape[(parameters.axis + 1)...].reduce(1, *) : 1
        let width = parameters.type.byteWidth ?? 1
        let available = Swift.min(count, bytes.count / width)
        if output.count != available { output = [Float](repeating: 0, count: available) }
        for index in 0..<available {
            let channel = channels > 1 ? (index / inner) % channels : 0
            let q: Int64 = switch parameters.type {
            case .int8: Int64(bytes.loadUnaligned(fromByteOffset: index, as: Int8.self))
            case .uint8: Int64(bytes.loadUnaligned(fromByteOffset: index, as: UInt8.self))
            case .int16: Int64(bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
            case .int32: Int64(bytes.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
            default: bytes.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)
            }
            let zeroPoint = parameters.zeroPoints.indices.contains(channel) ? parameters.zeroPoints[channel] : 0
            let scale = parameters.scales.indices.contains(channel) ? parameters.scales[channel] : 0
            output[index] = Float(q - zeroPoint) * scale
        }
    }
}
