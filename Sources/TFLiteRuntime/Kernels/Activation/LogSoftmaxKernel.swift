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
import TFLiteModel

/// LOG_SOFTMAX over the last axis.
///
/// float32 as LiteRT's reference kernel; int8 and uint8 with LiteRT's reference fixed-point
/// pipeline (differences scaled to 5 integer bits, a 12-bit sum of gemmlowp exponentials, its
/// fixed-point log, output scale 16/256 with zero point 127 or 255).
final class LogSoftmaxKernel: Kernel {
    private let node: Node
    private var type = TensorType.float32
    private var depth = 0
    private var outer = 0
    private var multiplier = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    private var reverseMultiplier = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    private var diffMin: Int32 = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard [.float32, .int8, .uint8].contains(input.type), tensors[outputIndex].type == input.type else {
            throw node.unsupported("\(input.type) input with \(tensors[outputIndex].type) output is not supported")
        }
        guard !input.shape.isEmpty else { throw node.invalid("input must have at least one dimension") }
        type = input.type
        tensors[outputIndex].shape = input.shape
        // Float log-softmax evaluates an exponential per element (about 16 plain passes of work).
        if type == .float32 { try tensors.checkReads(input.elementCount, 16, node: node) }
        depth = input.shape.last ?? 1
        outer = depth == 0 ? 0 : input.elementCount / depth
        guard type != .float32 else { return }
        let output = tensors[outputIndex]
        let expectedZeroPoint: Int32 = type == .int8 ? 127 : 255
        guard output.scale == 16.0 / 256, output.zeroPoint == expectedZeroPoint else {
            throw node.unsupported("\(type) LOG_SOFTMAX needs output scale 1/16 and zero point \(expectedZeroPoint), got \(output.scale) and \(output.zeroPoint)")
        }
        guard input.scale > 0, input.scale.isFinite else { throw node.invalid("input needs a positive scale") }
        // PreprocessLogSoftmaxScalingExp with beta 1 and 5 integer bits.
        let integerBits = 5
        let real = min(Double(input.scale) * Double(Int64(1) << Int64(31 - integerBits)), Double((Int64(1) << 31) - 1))
        multiplier = FixedPoint.Multiplier(real)
        guard multiplier.shift >= 0, multiplier.multiplier > 0 else {
            throw node.unsupported("input scale \(input.scale) is too small for the quantized log-softmax")
        }
        let reverse = Double(Int64(1) << Int64(31 - multiplier.shift)) / Double(multiplier.multiplier)
        reverseMultiplier = FixedPoint.Multiplier(reverse)
        diffMin = -SoftmaxKernel.inputRadius(integerBits: integerBits, leftShift: multiplier.shift)
        // By `max − x` (0…255, all an 8-bit row can have): the scaled difference and the
        // exponential's sum term LiteRT's reference computes per element (0 below diffMin).
        scaled8 = (0...255).map { (distance: Int32) -> Int32 in FixedPoint.multiply(-distance, by: multiplier) }
        sumTerms8 = (0...255).map { (distance: Int32) -> Int32 in
            guard -distance >= diffMin else { return 0 }
            return Gemmlowp.rescale(Gemmlowp.expOnNegativeValues(scaled8[Int(distance)], integerBits: 5), from: 0, to: 12)
        }
    }

    private var scaled8: [Int32] = []
    private var sumTerms8: [Int32] = []

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let (input, output) = try SoftmaxRows.operands(node, tensors, outer: outer, depth: depth) else { return }
        switch type {
        case .int8: runQuantized(Int8.self, input, output)
        case .uint8: runQuantized(UInt8.self, input, output)
        default: runFloat(input, output)
        }
    }

    private func runFloat(_ input: RuntimeTensor, _ output: RuntimeTensor) {
        guard let x = input.buffer(Float.self).baseAddress, let y = output.buffer(Float.self).baseAddress else { return }
        for row in 0..<outer {
            let base = row * depth
            let maximum = SoftmaxRows.maximum(x + base, count: depth, from: -Float.greatestFiniteMagnitude)
            var sum: Float = 0
            for c in 0..<depth { sum += exp(x[base + c] - maximum) }
            let logSum = log(sum)
            for c in 0..<depth { y[base + c] = x[base + c] - maximum - logSum }
        }
    }

    private func runQuantized<T: FixedWidthInteger>(_: T.Type, _ input: RuntimeTensor, _ output: RuntimeTensor) {
        guard let x = input.buffer(T.self).baseAddress, let y = output.buffer(T.self).baseAddress,
              scaled8.count == 256, sumTerms8.count == 256 else { return }
        let outputZeroPoint = Int32(T.max)
        let lo = Int32(T.min), hi = Int32(T.max)
        for row in 0..<outer {
            let base = row * depth
            let maximum = SoftmaxRows.maximum(x + base, count: depth, from: T.min)
            var sumOfExps: Int32 = 0  // 12 integer bits
            let top = Int(maximum)
            for c in 0..<depth { sumOfExps = sumOfExps &+ sumTerms8[top - Int(x[base + c])] }
            let logSum = Gemmlowp.logXForXGreaterThanOrEqualTo1(sumOfExps, inputIntegerBits: 12, outputIntegerBits: 5)
            let shiftedLogSum = logSum &+ Int32.min
            let adjustedDiffMin = max(diffMin - 1, FixedPoint.multiply(shiftedLogSum, by: reverseMultiplier))
            for c in 0..<depth {
                let diff = Int32(x[base + c]) - Int32(maximum)
                if diff > adjustedDiffMin {
                    let scaled = scaled8[top - Int(x[base + c])]
                    let value = FixedPoint.roundingDivideByPOT(scaled &- logSum, 31 - 5 - 4) &+ outputZeroPoint
                    y[base + c] = T(truncatingIfNeeded: min(max(value, lo), hi))
                } else {
                    y[base + c] = T.min
                }
            }
        }
    }
}
