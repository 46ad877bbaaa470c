import TFLiteModel

/// The number formats weights are stored in: symmetric int8 (per tensor or per channel) and
/// float16, as the TensorFlow Lite converter computes them. Functions work on buffers (the
/// mapped input's float32 data, the output's bytes) without per-element allocation.
package enum WeightQuantization {
    /// The largest int8 magnitude symmetric quantization uses (`-127…127`; -128 stays unused so
    /// that the range is symmetric, as the converter does).
    public static let int8Limit: Float = 127

    /// How a tensor's elements group into channels along `axis`: `outer × channels × inner`.
    public struct ChannelLayout: Sendable, Equatable {
        public var outer: Int
        public var channels: Int
        public var inner: Int

        /// The layout of `shape` along `axis` (nil: one channel, per tensor). Nil when the axis
        /// is out of range or a dimension is negative.
        public init?(shape: [Int32], axis: Int?) {
            guard let count = ModelTensor.elementCount(of: shape) else { return nil }
            guard let axis else {
                self.init(outer: 1, channels: 1, inner: count)
                return
            }
            guard axis >= 0, axis < shape.count else { return nil }
            guard let before = ModelTensor.elementCount(of: shape[..<axis]), let after = ModelTensor.elementCount(of: shape[(axis + 1)...]) else { return nil }
            self.init(outer: before, channels: Int(shape[axis]), inner: after)
        }

        public init(outer: Int, channels: Int, inner: Int) {
            self.outer = outer
            self.channels = channels
            self.inner = inner
        }

        /// The number of elements.
        public var count: Int { outer * channels * inner }
    }

    /// Per-channel scales of symmetric int8 quantization: `max |w| / 127` over each channel
    /// (1 for an all-zero channel).
    public static func symmetricScales(_ values: UnsafeBufferPointer<Float>, layout: ChannelLayout) -> [Float] {
        var maxima = [Float](repeating: 0, count: layout.channels)
        maxima.withUnsafeMutableBufferPointer { maxima in
            var index = 0
            for _ in 0..<layout.outer {
                for channel in 0..<layout.channels {
                    var largest = maxima[channel]
                    for _ in 0..<layout.inner {
                        let magnitude = abs(values[index])
                        if magnitude > largest { largest = magnitude }
                        index += 1
                    }
                    maxima[channel] = largest
                }
            }
        }
        return maxima.map { $0 > 0 && $0.isFinite ? $0 / int8Limit : 1 }
    }

    /// Writes `values` quantized with `scales` (per channel of `layout`) into `output` as int8:
    /// `round(w × 127 / max)` (half away from zero), clamped to ±127.
    public static func quantizeSymmetric(_ values: UnsafeBufferPointer<Float>, scales: [Float], layout: ChannelLayout,
                                         into output: UnsafeMutableRawBufferPointer) {
        let target = output.bindMemory(to: Int8.self)
        let inverses = scales.map { scale -> Float in
            // The converter multiplies by 127 / max rather than dividing by the scale.
            let range = scale * int8Limit
            return range > 0 ? int8Limit / range : 0
        }
        var index = 0
        for _ in 0..<layout.outer {
            for channel in 0..<layout.channels {
                let inverse = inverses[channel]
                for _ in 0..<layout.inner {
                    target[index] = roundedInt8(values[index] * inverse)
                    index += 1
                }
            }
        }
    }

    /// `value` rounded half away from zero and clamped to ±127 (NaN gives 0): the same result
    /// as `rounded(.toNearestOrAwayFromZero)` then clamping, without a library call per element.
    @inline(__always)
    static func roundedInt8(_ value: Float) -> Int8 {
        let finite = value == value ? value : 0
        let clamped = Swift.min(int8Limit, Swift.max(-int8Limit, finite))
        let whole = Int32(clamped)  // toward zero; exact, |clamped| ≤ 127
        let fraction = clamped - Float(whole)  // exact
        let step: Int32 = fraction >= 0.5 ? 1 : (fraction <= -0.5 ? -1 : 0)
        return Int8(truncatingIfNeeded: whole + step)
    }

    /// Writes `values` as IEEE half-precision (round to nearest even; overflow to infinity)
    /// into `output`, little-endian.
    public static func float16(_ values: UnsafeBufferPointer<Float>, into output: UnsafeMutableRawBufferPointer) {
        let target = output.bindMemory(to: UInt16.self)
        for index in 0..<values.count {
            target[index] = halfBits(values[index]).littleEndian
        }
    }

    /// The half-precision bit pattern of `value`.
    @inline(__always)
    public static func halfBits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {  // infinity or NaN
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal half (or zero).
            guard halfExponent >= -10 else { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway: UInt32 = 1 << (shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(halfExponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }  // may carry into the exponent: correct
        return sign | UInt16(half)
    }
}
