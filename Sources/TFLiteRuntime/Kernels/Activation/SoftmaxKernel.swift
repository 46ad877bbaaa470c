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

/// SOFTMAX over the last axis with `beta`.
///
/// float32 as LiteRT's reference kernel; int8/uint8 with LiteRT's reference fixed-point pipeline
/// (input differences scaled to 5 integer bits, gemmlowp `exp_on_negative_values`, a 12-bit
/// accumulator and `GetReciprocal`); int16 with LiteRT's two 513-entry tables (exp on [-10, 0]
/// and 1/(1+x) on [0, 1]).
final class SoftmaxKernel: Kernel {
    private let node: Node
    private let beta: Float
    private var type = TensorType.float32
    private var outputType = TensorType.float32
    private var depth = 0
    private var outer = 0
    private var multiplier = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    private var diffMin: Int32 = 0
    private var expTable: [Int16] = []
    private var reciprocalTable: [Int16] = []
    /// 8-bit inputs: by `max − x` (0…255, the only differences 8-bit data can have), the
    /// exponential LiteRT's reference computes per element (Q0.31, 0 below `diffMin`) and its
    /// rescaled sum term (Q12.19). Same values, computed once instead of twice per element.
    private var exps8: [Int32] = []
    private var sumTerms8: [Int32] = []

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        // An absent beta is 1 here (the schema's default, 0, would flatten every input).
        let options = try node.options(expecting: SoftmaxOptions.self)
        beta = options.has(.beta) ? options.beta : 1
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard !input.shape.isEmpty else { throw node.invalid("input must have at least one dimension") }
        type = input.type
        outputType = tensors[outputIndex].type
        let supported: Bool = switch (type, outputType) {
        case (.float32, .float32), (.int8, .int8), (.uint8, .uint8), (.int8, .int16), (.uint8, .int16), (.int16, .int16): true
        default: false
        }
        guard supported else { throw node.unsupported("\(type) input with \(outputType) output is not supported") }
        tensors[outputIndex].shape = input.shape
        // Float softmax evaluates an exponential per element (about 16 plain passes of work).
        if type == .float32 { try tensors.checkReads(input.elementCount, 16, node: node) }
        depth = input.shape.last ?? 1
        outer = depth == 0 ? 0 : input.elementCount / depth
        let output = tensors[outputIndex]
        guard type != .float32 else { return }
        guard input.scale > 0, input.scale.isFinite, output.scale > 0 else {
            throw node.invalid("quantized input and output need positive scales")
        }
        if type == .int16 {
            guard input.zeroPoint == 0, output.zeroPoint == 0 else {
                throw node.unsupported("int16 input and output need zero points of 0")
            }
            guard (1...4).contains(input.shape.count) else {
                throw node.unsupported("int16 SOFTMAX supports 1-D to 4-D inputs, got \(input.shape.count)-D")
            }
            let range = Double(Int32(Int16.max) - Int32(Int16.min))
            expTable = LookupTable.int16(Double.self, inputScale: 10.0 / range, inputZeroPoint: Int32(Int16.max),
                                         outputScale: 2.0 / range, outputZeroPoint: 0) { exp($0) }
            reciprocalTable = LookupTable.int16(Double.self, inputScale: 1.0 / range, inputZeroPoint: Int32(Int16.min),
                                                outputScale: 2.0 / range, outputZeroPoint: 0) { 1.0 / (1.0 + $0) }
            multiplier = FixedPoint.Multiplier(Double(input.scale * beta) / (10.0 / 65535.0))
            return
        }
        // int8 / uint8: PreprocessSoftmaxScaling with 5 integer bits.
        let scaledDiffIntegerBits = 5
        let real = min(Double(beta) * Double(input.scale) * Double(Int64(1) << Int64(31 - scaledDiffIntegerBits)),
                       Double((Int64(1) << 31) - 1))
        multiplier = FixedPoint.Multiplier(real)
        guard multiplier.shift >= 0 else {
            throw node.unsupported("input scale \(input.scale) × beta \(beta) is too small for the quantized softmax")
        }
        diffMin = -Self.inputRadius(integerBits: scaledDiffIntegerBits, leftShift: multiplier.shift)
        exps8 = (0...255).map { (distance: Int32) -> Int32 in
            let diff = -distance
            guard diff >= diffMin else { return 0 }
            return Gemmlowp.expOnNegativeValues(FixedPoint.multiplyGreaterThanOne(diff, by: multiplier), integerBits: 5)
        }
        sumTerms8 = (0...255).map { (distance: Int32) -> Int32 in
            -distance >= diffMin ? Gemmlowp.rescale(exps8[Int(distance)], from: 0, to: 12) : 0
        }
    }

    /// LiteRT's `CalculateInputRadius` (31 total bits).
    static func inputRadius(integerBits: Int, leftShift: Int) -> Int32 {
        let maxRescaled = Double((1 << integerBits) - 1) * Double(Int64(1) << Int64(31 - integerBits)) / Double(Int64(1) << Int64(leftShift))
        return Int32(clamping: Int64(maxRescaled.rounded(.down)))
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let (input, output) = try SoftmaxRows.operands(node, tensors, outer: outer, depth: depth) else { return }
        switch (type, outputType) {
        case (.float32, _): runFloat(input, output)
        case (.int8, .int8): runQuantized(Int8.self, Int8.self, input, output)
        case (.uint8, .uint8): runQuantized(UInt8.self, UInt8.self, input, output)
        case (.int8, .int16): runQuantized(Int8.self, Int16.self, input, output)
        case (.uint8, .int16): runQuantized(UInt8.self, Int16.self, input, output)
        default: runInt16(input, output)
        }
    }

    private func runFloat(_ input: RuntimeTensor, _ output: RuntimeTensor) {
        guard let x = input.buffer(Float.self).baseAddress, let y = output.buffer(Float.self).baseAddress else { return }
        for row in 0..<outer {
            let base = row * depth
            let maximum = SoftmaxRows.maximum(x + base, count: depth, from: -Float.greatestFiniteMagnitude)
            var sum: Float = 0
            for c in 0..<depth {
                let e = exp((x[base + c] - maximum) * beta)
                y[base + c] = e
                sum += e
            }
            for c in 0..<depth { y[base + c] /= sum }
        }
    }

    private func runQuantized<In: FixedWidthInteger, Out: FixedWidthInteger>(
        _: In.Type, _: Out.Type, _ input: RuntimeTensor, _ output: RuntimeTensor
    ) {
        guard let x = input.buffer(In.self).baseAddress, let y = output.buffer(Out.self).baseAddress else { return }
        let outBits = Out.bitWidth
        let outMin = Int32(Out.min), outMax = Int32(Out.max)
        guard exps8.count == 256, sumTerms8.count == 256 else { return }
        exps8.withUnsafeBufferPointer { exps in
            sumTerms8.withUnsafeBufferPointer { terms in
                for row in 0..<outer {
                    let base = row * depth
                    let maximum = SoftmaxRows.maximum(x + base, count: depth, from: In.min)
                    let top = Int(maximum)
                    var sumOfExps: Int32 = 0  // 12 integer bits
                    for c in 0..<depth { sumOfExps = sumOfExps &+ terms[top - Int(x[base + c])] }
                    let (shiftedScale, bitsOverUnit) = Gemmlowp.reciprocal(sumOfExps, integerDigits: 12)
                    let exponent = bitsOverUnit + 31 - outBits
                    for c in 0..<depth {
                        // An exponential of 0 (below diffMin, or underflowed) gives Out.min either way.
                        let e = exps[top - Int(x[base + c])]
                        let unsaturated = FixedPoint.roundingDivideByPOT(Gemmlowp.mul(shiftedScale, e), exponent)
                        let shifted = unsaturated &+ outMin
                        y[base + c] = Out(truncatingIfNeeded: max(min(shifted, outMax), outMin))
                    }
                }
            }
        }
    }

    private func runInt16(_ input: RuntimeTensor, _ output: RuntimeTensor) {
        guard let x = input.buffer(Int16.self).baseAddress, let y = output.buffer(Int16.self).baseAddress else { return }
        expTable.withUnsafeBufferPointer { expLUT in
            reciprocalTable.withUnsafeBufferPointer { reciprocalLUT in
                for row in 0..<outer {
                    let base = row * depth
                    let maximum = SoftmaxRows.maximum(x + base, count: depth, from: Int16.min)
                    // Exponentials go to the output first (Q0.15), then get scaled in place.
                    var sum: Int32 = 0
                    for c in 0..<depth {
                        let diff = Int32(x[base + c]) - Int32(maximum)
                        let scaled = FixedPoint.multiply(diff, by: multiplier)
                        let symmetric = Int16(clamping: scaled &+ 32767)
                        let e = LookupTable.lookup(symmetric, expLUT)
                        y[base + c] = e
                        sum = sum &+ Int32(e)
                    }
                    let headroomPlusOne = UInt32(bitPattern: sum).leadingZeroBitCount
                    let shiftedSum = Int32(truncatingIfNeeded: ((Int64(sum) << Int64(headroomPlusOne - 1)) + (1 << 13)) >> 14)
                    let symmetricSum = Int16(clamping: shiftedSum - ((1 << 15) + (1 << 16)))
                    let reciprocal = Int64(LookupTable.lookup(symmetricSum, reciprocalLUT))
                    let rightShift = Int64(31 - headroomPlusOne)
                    let round: Int64 = 1 << (rightShift - 1)
                    for c in 0..<depth {
                        let result = (Int64(y[base + c]) * reciprocal + round) >> rightShift
                        y[base + c] = Int16(truncatingIfNeeded: min(max(result, 0), 32767))
                    }
                }
            }
        }
    }
}
