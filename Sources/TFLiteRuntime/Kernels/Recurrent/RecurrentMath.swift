#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the float and hybrid recurrent kernels (LSTM, RNN, SVDF) share with LiteRT's
/// `tensor_utils`: per-row input quantization and the fused activation applied as a function.
enum RecurrentMath {
    /// Quantizes `batches` rows of `count` values each (LiteRT's `BatchQuantizeFloats`):
    /// symmetric (zero point 0) or asymmetric per row. False when every value is zero: LiteRT
    /// then skips the product (`IsZeroVector`).
    static func quantizeRows(_ values: UnsafePointer<Float>, count: Int, batches: Int, asymmetric: Bool,
                             into output: UnsafeMutablePointer<Int8>, scales: UnsafeMutablePointer<Float>,
                             zeroPoints: UnsafeMutablePointer<Int32>?) -> Bool {
        guard (0..<(count * batches)).contains(where: { values[$0] != 0 }) else { return false }
        for b in 0..<batches {
            if asymmetric {
                let (scale, zero) = HybridQuantizer.asymmetric(values + b * count, count: count, into: output + b * count)
                scales[b] = scale
                zeroPoints?[b] = zero
            } else {
                scales[b] = HybridQuantizer.symmetric(values + b * count, count: count, into: output + b * count)
                zeroPoints?[b] = 0
            }
        }
        return true
    }

    /// The fused activation as LiteRT's `ApplyActivationToVector` applies it.
    @inline(__always)
    static func activate(_ activation: FusedActivation, _ value: Float) -> Float {
        switch activation {
        case .tanh: tanh(value)
        case .relu: max(0, value)
        case .relu6: min(max(0, value), 6)
        case .reluN1To1: min(max(-1, value), 1)
        case .signBit: value < 0 ? -1 : (value > 0 ? 1 : 0)
        default: value
        }
    }
}
