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

/// LiteRT's int16 LOGISTIC and TANH (`reference_integer_ops::Logistic/Tanh`): the input is
/// rescaled so that ±2^17 spans ±10.7, then a 256-entry table of sigmoid(i/24) in 0.16 format is
/// interpolated (tanh(x) = 2·sigmoid(2x) − 1 reads the same table). Output scale is 2^-15.
enum Int16Sigmoid {
    /// sigmoid(i / 24) in unsigned 0.16 fixed point (LiteRT's `sigmoid_table_uint16`).
    static let table: [UInt32] = [
        32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
        43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
        51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
        57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
        61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
        63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
        64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
        64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
        65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
        65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
        65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
        65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
        65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
        65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
        65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
        65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
    ]

    /// LiteRT's `CheckedLog2`: the rounded log2 and whether `value` is a power of two.
    static func checkedLog2(_ value: Float) -> (Int, Bool) {
        guard value > 0, value.isFinite else { return (0, false) }
        let log2Value = log(value) * (1 / log(Float(2)))
        let rounded = log2Value.rounded(.toNearestOrAwayFromZero)
        return (Int(rounded), Swift.abs(log2Value - rounded) < 1e-3)
    }

    /// The input multiplier and shift (`multiplier == 0` marks the power-of-two case).
    static func inputScaling(inputScale: Float, powerOfTwoShifts: ClosedRange<Int>) -> (multiplier: Int32, shift: Int32) {
        let (log2Scale, isPowerOfTwo) = checkedLog2(inputScale)
        let shift = 12 + log2Scale
        if isPowerOfTwo && powerOfTwoShifts.contains(shift) { return (0, Int32(shift)) }
        var multiplier = Double(inputScale) * 4096.0 * 3.0
        var leftShift: Int32 = 0
        while multiplier <= 32767.0 / 2.0 && leftShift <= 30 {
            leftShift += 1
            multiplier *= 2
        }
        return (Int32(clamping: Int64(Swift.min(multiplier, 4e9))), leftShift)
    }

    private static func checkOutput(_ node: Node, _ outputScale: Float) throws(InterpreterError) {
        let (log2Scale, isPowerOfTwo) = checkedLog2(outputScale)
        guard isPowerOfTwo, log2Scale == -15 else {
            throw node.unsupported("int16 \(node.name) needs an output scale of 2^-15, got \(outputScale)")
        }
    }

    /// The checks and fixed-point input rescaling that int16 LOGISTIC and TANH share: the output
    /// scale must be 2^-15; the input is scaled by `multiplier` and rounded right by `shift` (a
    /// power-of-two input scale becomes `3 << shift` with no shift, as in LiteRT).
    private struct InputRescale {
        let multiplier: Int32
        let shift: Int32
        let round: Int32

        init(node: Node, inputScale: Float, outputScale: Float, powerOfTwoShifts: ClosedRange<Int>) throws(InterpreterError) {
            try checkOutput(node, outputScale)
            var (multiplier, shift) = inputScaling(inputScale: inputScale, powerOfTwoShifts: powerOfTwoShifts)
            if multiplier == 0 {
                multiplier = 3 << shift
                shift = 0
            }
            self.multiplier = multiplier
            self.shift = shift
            round = shift > 0 ? 1 << (shift - 1) : 0
        }

        /// The rescaled input for quantized input `q`.
        @inline(__always)
        func callAsFunction(_ q: Int32) -> Int32 { (q &* multiplier &+ round) >> shift }
    }

    static func logistic(node: Node, inputScale: Float, outputScale: Float) throws(InterpreterError) -> (Int32) -> Int32 {
        let rescale = try InputRescale(node: node, inputScale: inputScale, outputScale: outputScale, powerOfTwoShifts: 0...0)
        return { q in
            let x = rescale(q)
            let magnitude = x.magnitude  // Int32.min has no Int32 absolute value
            let high = magnitude >> 9
            var result: UInt32
            if high >= 255 {
                result = 0x7FFF << 10
            } else {
                let a = table[Int(high)], b = table[Int(high) + 1]
                result = (a << 9) &+ (magnitude & 0x1FF) &* (b &- a)
            }
            result = x >= 0 ? result &+ (1 << 9) : (1 << 25) &- result &+ (1 << 9) &- 1
            return Int32(Int16(truncatingIfNeeded: result >> 10))
        }
    }

    static func tanh(node: Node, inputScale: Float, outputScale: Float) throws(InterpreterError) -> (Int32) -> Int32 {
        let rescale = try InputRescale(node: node, inputScale: inputScale, outputScale: outputScale, powerOfTwoShifts: 0...1)
        return { q in
            let x = rescale(q)
            let magnitude = x.magnitude  // Int32.min has no Int32 absolute value
            let high = magnitude >> 8
            var result: Int32
            if high >= 255 {
                result = 0xFFFF << 8
            } else {
                let a = table[Int(high)], b = table[Int(high) + 1]
                result = Int32(bitPattern: (a << 8) &+ (magnitude & 0xFF) &* (b &- a))
            }
            result = x >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1
            return Int32(Int16(truncatingIfNeeded: result >> 8))
        }
    }
}
