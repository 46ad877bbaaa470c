import CTFLiteKernels
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

/// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, LOGISTIC, TANH, HARD_SWISH, ELU, EXP, LOG, SQRT, RSQRT,
/// ABS and NEG.
///
/// float32 and int32/int64 compute directly. For quantized types the output depends only on the
/// input value, so `prepare` evaluates LiteRT's reference integer function (fixed-point
/// requantization, or its lookup tables) once per possible input value — 256 entries for 8-bit
/// types, 65 536 for int16 — and `run` is a table lookup, bit-exact with LiteRT.
final class ElementwiseUnaryKernel: Kernel {
    private let node: Node
    private let operation: UnaryOperation
    private let alpha: Float
    private var type = TensorType.float32
    /// Elements below which a float32 operator stays on one thread.
    static let floatElementsPerThread = 1 << 12
    /// Elements below which an 8-bit lookup stays on one thread.
    static let byteElementsPerThread = 1 << 11
    private var table8: [UInt8] = []
    private var table16: [Int16] = []
    /// Quantized inputs below this value are rejected at run time (SQRT/RSQRT of negatives).
    private var minimumInput: Int32?

    /// The prepared 8-bit table (`output byte = byteTable[input byte]`), nil for other types.
    var byteTable: [UInt8]? { (type == .int8 || type == .uint8) && table8.count == 256 && minimumInput == nil ? table8 : nil }

    /// Whether this is a float32 LOGISTIC (after `prepare`), which a MUL may fuse (`tfl_swish_f32`).
    var isFloatLogistic: Bool { operation == .logistic && type == .float32 }

    /// The operator as an activation a convolution may apply to its output tiles (after
    /// `prepare`; float32 only, see ``ActivationFusion``), nil when it does not fuse.
    var floatActivation: FloatActivation? { type == .float32 ? FloatActivation(operation, alpha: alpha) : nil }

    init(_ node: Node, _ operation: UnaryOperation) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        self.operation = operation
        if operation == .leakyRelu {
            // An absent alpha is the schema's default, 0, as LiteRT reads it (a writer omits
            // alpha = 0; Keras' own default 0.2 is always written).
            alpha = try node.options(expecting: LeakyReluOptions.self).alpha
        } else {
            alpha = 0
        }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard operation.supportedTypes.contains(input.type) else {
            throw node.unsupported("\(input.type) input is not supported")
        }
        guard tensors[outputIndex].type == input.type else {
            throw node.unsupported("\(input.type) input with a \(tensors[outputIndex].type) output is not supported")
        }
        type = input.type
        if type == .float32, operation.floatCostFactor > 0 {
            try tensors.checkReads(input.elementCount, operation.floatCostFactor, node: node)
        }
        tensors[outputIndex].shape = input.shape
        let output = tensors[outputIndex]
        minimumInput = nil
        switch type {
        case .int8:
            let f = try quantizedFunction(input, output, qmin: -128, qmax: 127)
            table8 = (0..<256).map { UInt8(truncatingIfNeeded: f(Int32(Int8(truncatingIfNeeded: $0)))) }
        case .uint8:
            let f = try quantizedFunction(input, output, qmin: 0, qmax: 255)
            table8 = (0..<256).map { UInt8(truncatingIfNeeded: f(Int32($0))) }
        case .int16 where input.quantization != nil:
            let f = try quantizedFunction(input, output, qmin: -32768, qmax: 32767)
            table16 = (0..<65536).map { Int16(truncatingIfNeeded: f(Int32($0) - 32768)) }
        default:
            break
        }
    }

    // MARK: Quantized functions (LiteRT reference semantics)

    private func scales(_ input: RuntimeTensor, _ output: RuntimeTensor) throws(InterpreterError) -> (Float, Float) {
        guard let qi = input.quantization, let qo = output.quantization, !qi.isPerChannel, !qo.isPerChannel,
              qi.scale > 0, qo.scale > 0, qi.scale.isFinite, qo.scale.isFinite else {
            throw node.invalid("quantized input and output need positive per-tensor scales")
        }
        return (qi.scale, qo.scale)
    }

    private func quantizedFunction(_ input: RuntimeTensor, _ output: RuntimeTensor,
                                   qmin: Int32, qmax: Int32) throws(InterpreterError) -> (Int32) -> Int32 {
        let (inScale, outScale) = try scales(input, output)
        let zpIn = input.zeroPoint, zpOut = output.zeroPoint
        guard (qmin...qmax).contains(zpIn), (qmin...qmax).contains(zpOut) else {
            throw node.invalid("zero points (\(zpIn), \(zpOut)) are outside the \(type) range")
        }
        let isInt16 = type == .int16
        if isInt16, zpIn != 0 || zpOut != 0 {
            throw node.unsupported("int16 input and output need zero points of 0")
        }
        let clampType = { (v: Int32) in min(max(v, qmin), qmax) }
        switch operation {
        case .relu, .relu6, .reluN1To1:
            guard let range = operation.reluRange else { return { _ in 0 } }
            let m = FixedPoint.Multiplier(Double(inScale / outScale))
            let low = max(qmin, zpOut &+ Int32(clampingFloat: (range.min / outScale).rounded(.toNearestOrAwayFromZero)))
            let high = range.max == .infinity ? qmax
                : min(qmax, zpOut &+ Int32(clampingFloat: (range.max / outScale).rounded(.toNearestOrAwayFromZero)))
            return { q in max(low, min(high, zpOut &+ FixedPoint.multiply(q - zpIn, by: m))) }
        case .leakyRelu:
            let identity = FixedPoint.Multiplier(Double(inScale / outScale))
            let scaledAlpha = FixedPoint.Multiplier(Double(inScale * alpha / outScale))
            return { q in
                let v = q - zpIn
                return clampType(zpOut &+ FixedPoint.multiply(v, by: v >= 0 ? identity : scaledAlpha))
            }
        case .abs:
            if inScale == outScale { return { q in clampType(Swift.abs(q - zpIn) &+ zpOut) } }
            let m = FixedPoint.Multiplier(Double(inScale / outScale))
            return { q in clampType(FixedPoint.multiply(Swift.abs(q - zpIn), by: m) &+ zpOut) }
        case .sqrt:
            minimumInput = zpIn
            return { q in
                let real = inScale * Float(q - zpIn)
                guard real >= 0 else { return 0 }
                return clampType(Int32(clampingFloat: real.squareRoot() / outScale) &+ zpOut)
            }
        case .rsqrt:
            minimumInput = zpIn
            if isInt16 {
                let lut = LookupTable.int16(inputScale: inScale, inputZeroPoint: zpIn, outputScale: outScale, outputZeroPoint: zpOut) {
                    $0 <= 0 ? Float(Int16.max) * outScale : 1 / $0.squareRoot()
                }
                return Self.int16Lookup(lut)
            }
            let m = FixedPoint.Multiplier(1 / Double(inScale.squareRoot() * outScale))
            return { q in
                let value = q - zpIn
                if value <= 0 { return qmax }
                let inverse = Gemmlowp.inverseSqrtMultiplier(value)
                let data = FixedPoint.multiply(Int32(1), by: FixedPoint.Multiplier(multiplier: inverse.multiplier, shift: inverse.shift + 20))
                let out = FixedPoint.multiply(data, by: FixedPoint.Multiplier(multiplier: m.multiplier, shift: m.shift - 20))
                return clampType(out &+ zpOut)
            }
        case .log:
            let outputMin = Float(qmin - zpOut) * outScale
            let transform: (Float) -> Float = { $0 <= 0 ? outputMin : log($0) }
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: isInt16, transform)
        case .exp:
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: isInt16) { exp($0) }
        case .elu:
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: isInt16) { $0 < 0 ? expm1($0) : $0 }
        case .gelu:
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: false) { UnaryOperation.gelu($0) }
        case .geluApproximate:
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: false) { UnaryOperation.geluApproximate($0) }
        case .logistic:
            if isInt16 { return try Int16Sigmoid.logistic(node: node, inputScale: inScale, outputScale: outScale) }
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: false) { 1 / (1 + exp(-$0)) }
        case .tanh:
            if isInt16 { return try Int16Sigmoid.tanh(node: node, inputScale: inScale, outputScale: outScale) }
            return try lookupFunction(inScale, zpIn, outScale, zpOut, isInt16: false) { tanh($0) }
        case .hardSwish:
            let params = try QuantizedHardSwish(node: node, inputScale: inScale, inputZeroPoint: zpIn,
                                                outputScale: outScale, outputZeroPoint: zpOut)
            return { q in clampType(params.apply(q)) }
        case .neg, .sin, .cos, .square, .floor, .ceil, .round:
            throw node.unsupported("quantized \(operation) is not supported")
        }
    }

    private func lookupFunction(_ inScale: Float, _ zpIn: Int32, _ outScale: Float, _ zpOut: Int32, isInt16: Bool,
                                _ transform: (Float) -> Float) throws(InterpreterError) -> (Int32) -> Int32 {
        if isInt16 {
            return Self.int16Lookup(LookupTable.int16(inputScale: inScale, inputZeroPoint: zpIn, outputScale: outScale,
                                                      outputZeroPoint: zpOut, transform))
        }
        let table: [Int32]
        if type == .uint8 {
            table = LookupTable.eightBit(UInt8.self, inputScale: inScale, inputZeroPoint: zpIn, outputScale: outScale,
                                         outputZeroPoint: zpOut, transform).map { Int32($0) }
            return { q in table[Int(UInt8(truncatingIfNeeded: q))] }
        }
        table = LookupTable.eightBit(Int8.self, inputScale: inScale, inputZeroPoint: zpIn, outputScale: outScale,
                                     outputZeroPoint: zpOut, transform).map { Int32($0) }
        return { q in table[Int(UInt8(truncatingIfNeeded: q))] }
    }

    private static func int16Lookup(_ lut: [Int16]) -> (Int32) -> Int32 {
        { q in lut.withUnsafeBufferPointer { Int32(LookupTable.lookup(Int16(truncatingIfNeeded: q), $0)) } }
    }

    // MARK: Run

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let count = input.elementCount
        guard output.elementCount == count else { throw node.failure("tensor sizes changed after prepare") }
        if count == 0 { return }
        switch type {
        case .float32:
            guard let x = input.buffer(Float.self).baseAddress, let y = output.buffer(Float.self).baseAddress else { return }
            let a = alpha
            let operation = self.operation
            // Split even where one thread would keep up: the tensor's halves are then read by
            // the threads that wrote them (the convolutions before split it the same way), where
            // one thread would pull the other's half across.
            tensors.pool.parallelFor(count, minimumPerThread: operation == .logistic ? 1 << 14 : Self.floatElementsPerThread) { range in
                let x = x + range.lowerBound, y = y + range.lowerBound, count = range.count
                switch operation {
                case .relu: for i in 0..<count { y[i] = max(0, x[i]) }
                case .relu6: for i in 0..<count { y[i] = min(max(0, x[i]), 6) }
                case .logistic: tfl_logistic_f32(x, y, count)
                // The arithmetic ones spelled out so each loop vectorizes (same expressions as apply).
                case .reluN1To1: for i in 0..<count { y[i] = min(max(-1, x[i]), 1) }
                case .leakyRelu: for i in 0..<count { y[i] = x[i] > 0 ? x[i] : x[i] * a }
                case .hardSwish: for i in 0..<count { y[i] = x[i] * min(max(x[i] + 3, 0), 6) / 6 }
                case .abs: for i in 0..<count { y[i] = Swift.abs(x[i]) }
                case .neg: for i in 0..<count { y[i] = -x[i] }
                case .square: for i in 0..<count { y[i] = x[i] * x[i] }
                default: for i in 0..<count { y[i] = operation.apply(x[i], alpha: a) }
                }
            }
        case .int32:
            guard let x = input.buffer(Int32.self).baseAddress, let y = output.buffer(Int32.self).baseAddress else { return }
            if operation == .neg {
                for i in 0..<count { y[i] = 0 &- x[i] }
            } else {
                for i in 0..<count { y[i] = x[i] < 0 ? 0 &- x[i] : x[i] }
            }
        case .int64:
            guard let x = input.buffer(Int64.self).baseAddress, let y = output.buffer(Int64.self).baseAddress else { return }
            for i in 0..<count { y[i] = 0 &- x[i] }
        case .int8, .uint8:
            guard let x = input.buffer(UInt8.self).baseAddress, let y = output.buffer(UInt8.self).baseAddress else { return }
            if let minimumInput { try checkMinimum(input, minimumInput) }
            table8.withUnsafeBufferPointer { table in
                guard let base = table.baseAddress, table.count == 256 else { return }
                // Split from a few thousand bytes, for the locality the float case describes.
                tensors.pool.parallelFor(count, minimumPerThread: Self.byteElementsPerThread) { range in
                    tfl_lookup_8bit(x + range.lowerBound, base, y + range.lowerBound, range.count)
                }
            }
        case .int16:
            guard let x = input.buffer(Int16.self).baseAddress, let y = output.buffer(Int16.self).baseAddress else { return }
            if table16.isEmpty {
                for i in 0..<count { y[i] = Int16(truncatingIfNeeded: Swift.abs(Int32(x[i]))) }
                return
            }
            if let minimumInput { try checkMinimum(input, minimumInput) }
            table16.withUnsafeBufferPointer { table in
                for i in 0..<count { y[i] = table[Int(Int32(x[i]) + 32768)] }
            }
        default:
            throw node.unsupported("\(type) input is not supported")
        }
    }

    private func checkMinimum(_ input: RuntimeTensor, _ minimum: Int32) throws(InterpreterError) {
        let negative: Bool
        switch type {
        case .int8: negative = input.buffer(Int8.self).contains { Int32($0) < minimum }
        case .uint8: negative = input.buffer(UInt8.self).contains { Int32($0) < minimum }
        default: negative = input.buffer(Int16.self).contains { Int32($0) < minimum }
        }
        if negative { throw node.failure("\(node.name) is only defined for non-negative values") }
    }
}
