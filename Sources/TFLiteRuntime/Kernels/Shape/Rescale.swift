#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Moves quantized values from one tensor's quantization to another's the way LiteRT's
/// `ConcatenationWithScaling` does: a plain copy when scale and zero point match, otherwise
/// `round(q × s + b) + zo` in float with `s = sᵢ × (1 / sₒ)` and `b = −zᵢ × s`, clamped to the type.
struct Rescale {
    var isCopy = true
    var scale: Float = 1
    var bias: Float = 0
    var outputZeroPoint: Int32 = 0
    /// Clamp range in the output type (narrowed by a fused activation).
    var low: Int32 = .min
    var high: Int32 = .max

    init() {}

    /// The rescale from `input`'s quantization to `output`'s (a copy for unquantized types).
    init(from input: RuntimeTensor, to output: RuntimeTensor, range: (min: Int32, max: Int32)) {
        low = range.min
        high = range.max
        guard ShapeOps.isQuantizedType(input.type), input.quantization != nil, output.quantization != nil,
              !ShapeOps.sameQuantization(input, output), output.scale != 0 else { return }
        isCopy = false
        scale = input.scale * (1 / output.scale)
        bias = -Float(input.zeroPoint) * scale
        outputZeroPoint = output.zeroPoint
    }

    /// Whether the arithmetic is usable: a copy, or a finite scale and offset (a hostile model can
    /// give scales whose ratio overflows to infinity or NaN).
    var isFinite: Bool { isCopy || (scale.isFinite && bias.isFinite) }

    /// Copies `count` elements from `source` to `destination` (typed as `T`).
    @inline(__always)
    func apply<T: FixedWidthInteger>(_ source: UnsafePointer<T>, _ destination: UnsafeMutablePointer<T>, count: Int, clamp: Bool) {
        if isCopy {
            if clamp {
                for j in 0..<count {
                    destination[j] = T(truncatingIfNeeded: min(max(Int32(truncatingIfNeeded: source[j]), low), high))
                }
            } else {
                destination.update(from: source, count: count)
            }
            return
        }
        for j in 0..<count {
            let rounded = (Float(source[j]) * scale + bias).rounded(.toNearestOrAwayFromZero)
            // NaN cannot reach here from a prepared kernel (see `isFinite`); map it to 0 anyway.
            let value = Int32(clamping: rounded.isNaN ? 0 : Int64(max(min(rounded, 4e9), -4e9))) &+ outputZeroPoint
            destination[j] = T(truncatingIfNeeded: min(max(value, low), high))
        }
    }
}
