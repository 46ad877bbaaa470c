import CTFLiteKernels
import TFLiteModel

/// MEAN, SUM, REDUCE_PROD, REDUCE_MAX and REDUCE_MIN over constant axes (negative and repeated
/// axes allowed, `keep_dims` from `ReducerOptions`).
///
/// REDUCE_PROD multiplies in input order from 1 (integers wrapping), for float32, int32 and
/// int64: in converted models it mostly computes sizes from SHAPE for a RESHAPE.
///
/// float32, int32 and int64 reduce in their own type (integer MEAN sums in 64 bits and
/// divides truncating, like LiteRT). Quantized int8/uint8/int16 MEAN and SUM follow LiteRT's
/// `QuantizedMeanOrSum`: the raw values are summed in 32 bits, the input zero point is removed
/// once per output, and the sum is requantized with the input/output scale ratio as a
/// fixed-point multiplier (for MEAN with `1/count` folded into that multiplier). Quantized
/// MAX/MIN need equal input and output quantization and work on the raw values.
///
/// int8/uint8 MEAN over H and W of a 4-D input with `keep_dims` (a spatial mean per channel)
/// follows LiteRT's optimized kernel instead, which its builtin resolver runs there and whose
/// results differ from its reference kernel by a step: the raw sum is scaled by a multiplier
/// made from the float `input_scale / (count × output_scale)` and a bias
/// `output_zp − trunc(input_zp × input_scale / output_scale ± 0.5)` (float) is added; channels
/// in whole blocks of 16 round halves up (its vector path), the rest as gemmlowp (one thread).
final class ReduceKernel: Kernel {
    enum Kind: Sendable {
        case mean, sum, prod, max, min
    }

    private let node: Node
    private let kind: Kind
    private let keepDims: Bool
    private var plan: ReductionPlan?
    private var accumulator: UnsafeMutableRawPointer?
    private var multiplier = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    private var inputZeroPoint: Int32 = 0
    private var outputZeroPoint: Int32 = 0
    private var isCopy = false
    /// int8/int16 SUM: LiteRT's reference kernel is broken for these types (it reads the data
    /// as uint8), so the expected numbers are those of its optimized kernel, which rescales
    /// in float: `round(sum × scale + bias)` with `bias = −zp × scale × count`, rounded half
    /// away from zero, then clamped.
    private var floatSum = false
    private var sumScale: Float = 0
    private var sumBias: Float = 0
    /// int8/uint8 spatial MEAN (see the type's comment): the channel count and the bias.
    private var spatialDepth = 0
    private var spatialBias: Int32 = 0

    init(_ node: Node, kind: Kind) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        self.kind = kind
        keepDims = try node.options(expecting: ReducerOptions.self).keepDims
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        switch input.type {
        case .float32, .int32, .int64, .int8, .uint8, .int16: break
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        guard output.type == input.type else {
            throw node.invalid("output type \(output.type) differs from input type \(input.type)")
        }
        let axes = try ReductionSupport.constantAxes(node, tensors, input: 1)
        let plan = try ReductionPlan(inputShape: input.shape, axisValues: axes, keepDims: keepDims, node: node)
        self.plan = plan
        isCopy = axes.isEmpty
        tensors[outputIndex].shape = plan.outputShape

        let quantized = input.type == .int8 || input.type == .uint8 || input.type == .int16
        if quantized && kind == .prod {
            throw node.unsupported("quantized \(input.type) REDUCE_PROD is not supported")
        }
        if quantized {
            guard input.quantization != nil, output.quantization != nil else {
                throw node.invalid("quantized \(input.type) reduction needs input and output quantization")
            }
            inputZeroPoint = input.zeroPoint
            outputZeroPoint = output.zeroPoint
            if input.type == .int16, inputZeroPoint != 0 || outputZeroPoint != 0 {
                throw node.invalid("int16 reductions need zero points of 0")
            }
            switch kind {
            case .max, .min, .prod:
                guard input.scale == output.scale, input.zeroPoint == output.zeroPoint else {
                    throw node.invalid("quantized REDUCE_MAX/REDUCE_MIN need equal input and output quantization")
                }
            case .mean, .sum:
                guard input.scale > 0, output.scale > 0, input.scale.isFinite, output.scale.isFinite else {
                    throw node.invalid("quantization scales must be positive")
                }
                var m = FixedPoint.Multiplier(Double(input.scale) / Double(output.scale))
                if kind == .mean, plan.reducedCount > 1 {
                    // Fold 1/count into the multiplier as LiteRT does.
                    let count = Int64(plan.reducedCount)
                    var shift = 63 - count.leadingZeroBitCount
                    shift = Swift.min(shift, 32, 31 + m.shift)
                    shift = Swift.max(shift, 0)
                    m = FixedPoint.Multiplier(
                        multiplier: Int32(truncatingIfNeeded: (Int64(m.multiplier) << Int64(shift)) / count),
                        shift: m.shift - shift)
                }
                multiplier = m
                spatialDepth = 0
                if kind == .mean, keepDims, input.type == .int8 || input.type == .uint8, input.shape.count == 4,
                   plan.axes == [1, 2], plan.inputCount > 0 {
                    let count = Float(input.shape[1] * input.shape[2])
                    var zeroShift = Float(inputZeroPoint) * input.scale / output.scale
                    zeroShift = zeroShift > 0 ? zeroShift + 0.5 : zeroShift - 0.5
                    spatialDepth = input.shape[3]
                    spatialBias = outputZeroPoint &- Self.saturatingInt32(zeroShift)
                    multiplier = FixedPoint.Multiplier(Double(input.scale / (count * output.scale)))
                }
                if kind == .sum, input.type == .int8 || input.type == .int16 {
                    floatSum = true
                    sumScale = input.scale / output.scale
                    sumBias = Float(-inputZeroPoint) * sumScale * Float(plan.reducedCount)
                }
            }
        }
        accumulator = try tensors.allocatePersistent(byteCount: Swift.max(plan.outputCount, 1) * 8)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let plan, let accumulator else { throw node.failure("not prepared") }
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        if isCopy {
            if let source = input.data, let destination = output.data {
                destination.copyMemory(from: source, byteCount: Swift.min(input.byteCount, output.byteCount))
            }
            return
        }
        switch input.type {
        case .float32:
            reduceFloat(plan, input.buffer(Float.self), output.buffer(Float.self),
                        accumulator.assumingMemoryBound(to: Float.self))
        case .int32:
            reduceInteger(plan, input.buffer(Int32.self), output.buffer(Int32.self),
                          accumulator.assumingMemoryBound(to: Int64.self))
        case .int64:
            reduceInteger(plan, input.buffer(Int64.self), output.buffer(Int64.self),
                          accumulator.assumingMemoryBound(to: Int64.self))
        case .int8:
            reduceQuantized(plan, input.buffer(Int8.self), output.buffer(Int8.self),
                            accumulator.assumingMemoryBound(to: Int32.self))
        case .uint8:
            reduceQuantized(plan, input.buffer(UInt8.self), output.buffer(UInt8.self),
                            accumulator.assumingMemoryBound(to: Int32.self))
        case .int16:
            reduceQuantized(plan, input.buffer(Int16.self), output.buffer(Int16.self),
                            accumulator.assumingMemoryBound(to: Int32.self))
        default:
            throw node.unsupported("input type \(input.type) is not supported")
        }
    }

    // MARK: float32

    private func reduceFloat(_ plan: ReductionPlan, _ input: UnsafeMutableBufferPointer<Float>,
                             _ output: UnsafeMutableBufferPointer<Float>, _ sums: UnsafeMutablePointer<Float>) {
        let count = Swift.min(plan.outputCount, output.count)
        guard input.count >= plan.inputCount else { return }
        switch kind {
        case .mean, .sum:
            sums.update(repeating: 0, count: count)
            guard let x = input.baseAddress else { return }
            if let columns = plan.columnBlocks {
                // Leading axes reduced, the last kept (instance normalization's mean over H × W
                // per channel): whole blocks of rows through the vectorized column sums, which
                // add each column's rows in input order as the loop below does.
                for block in 0..<columns.count {
                    tfl_column_sums_f32(x + block * columns.rows * columns.width, columns.rows, columns.width,
                                        sums + block * columns.width)
                }
            } else {
                plan.forEachRow { i, o, n, stride in
                    // Each output still sums its inputs in input order.
                    let source = x + i, target = sums + o
                    switch stride {
                    case 0:
                        var s = target.pointee
                        for k in 0..<n { s += source[k] }
                        target.pointee = s
                    case 1:
                        for k in 0..<n { target[k] += source[k] }
                    default:
                        for k in 0..<n { target[k &* stride] += source[k] }
                    }
                }
            }
            if kind == .mean {
                let divisor = Float(plan.reducedCount)
                for o in 0..<count { output[o] = plan.inputCount == 0 ? .nan : sums[o] / divisor }
            } else {
                for o in 0..<count { output[o] = sums[o] }
            }
        case .prod:
            for o in 0..<count { output[o] = 1 }
            plan.forEach { i, o in output[o] *= input[i] }
        case .max:
            for o in 0..<count { output[o] = -.greatestFiniteMagnitude }
            plan.forEach { i, o in if input[i] > output[o] { output[o] = input[i] } }
        case .min:
            for o in 0..<count { output[o] = .greatestFiniteMagnitude }
            plan.forEach { i, o in if input[i] < output[o] { output[o] = input[i] } }
        }
    }

    // MARK: int32 and int64 (not quantized)

    private func reduceInteger<T: FixedWidthInteger & SignedInteger>(
        _ plan: ReductionPlan, _ input: UnsafeMutableBufferPointer<T>,
        _ output: UnsafeMutableBufferPointer<T>, _ sums: UnsafeMutablePointer<Int64>
    ) {
        let count = Swift.min(plan.outputCount, output.count)
        guard input.count >= plan.inputCount else { return }
        switch kind {
        case .mean:
            sums.update(repeating: 0, count: count)
            plan.forEach { i, o in sums[o] &+= Int64(input[i]) }
            let divisor = Int64(Swift.max(plan.reducedCount, 1))
            for o in 0..<count { output[o] = T(truncatingIfNeeded: sums[o] / divisor) }
        case .sum:
            for o in 0..<count { output[o] = 0 }
            plan.forEach { i, o in output[o] &+= input[i] }
        case .prod:
            for o in 0..<count { output[o] = 1 }
            plan.forEach { i, o in output[o] &*= input[i] }
        case .max:
            for o in 0..<count { output[o] = .min }
            plan.forEach { i, o in if input[i] > output[o] { output[o] = input[i] } }
        case .min:
            for o in 0..<count { output[o] = .max }
            plan.forEach { i, o in if input[i] < output[o] { output[o] = input[i] } }
        }
    }

    // MARK: quantized

    private func reduceQuantized<T: FixedWidthInteger>(_ plan: ReductionPlan, _ input: UnsafeMutableBufferPointer<T>,
                                                       _ output: UnsafeMutableBufferPointer<T>,
                                                       _ sums: UnsafeMutablePointer<Int32>) {
        let count = Swift.min(plan.outputCount, output.count)
        guard input.count >= plan.inputCount else { return }
        switch kind {
        case .mean, .sum:
            if plan.inputCount == 0 {
                for o in 0..<count { output[o] = 0 }
                return
            }
            sums.update(repeating: 0, count: count)
            guard let x = input.baseAddress else { return }
            if T.bitWidth == 8, let columns = plan.columnBlocks {
                // Leading axes reduced, the last kept (a mean over H × W per channel): whole
                // blocks of rows through the vectorized column sums.
                UnsafeRawPointer(x).withMemoryRebound(to: UInt8.self, capacity: plan.inputCount) { bytes in
                    for block in 0..<columns.count {
                        tfl_column_sums_8bit(bytes + block * columns.rows * columns.width, T.isSigned ? 1 : 0, columns.rows,
                                             columns.width, sums + block * columns.width)
                    }
                }
            } else {
                plan.forEachRow { i, o, n, stride in
                    let source = x + i, target = sums + o
                    switch stride {
                    case 0:
                        var s = target.pointee
                        for k in 0..<n { s &+= Int32(truncatingIfNeeded: source[k]) }
                        target.pointee = s
                    case 1:
                        for k in 0..<n { target[k] &+= Int32(truncatingIfNeeded: source[k]) }
                    default:
                        for k in 0..<n { target[k &* stride] &+= Int32(truncatingIfNeeded: source[k]) }
                    }
                }
            }
            if spatialDepth > 0 {
                // Channels below `vectorEnd` take LiteRT's 16-wide vector path (halves up).
                let low = Int32(T.min), high = Int32(T.max)
                let vectorEnd = spatialDepth / 16 * 16
                for o in 0..<count {
                    let value = o % spatialDepth < vectorEnd
                        ? FixedPoint.multiplyHalfUp(sums[o], by: multiplier) : FixedPoint.multiply(sums[o], by: multiplier)
                    output[o] = T(truncatingIfNeeded: Swift.min(Swift.max(value &+ spatialBias, low), high))
                }
                return
            }
            if floatSum {
                for o in 0..<count {
                    let rounded = (Float(sums[o]) * sumScale + sumBias).rounded(.toNearestOrAwayFromZero)
                    let value = Self.saturatingInt32(rounded) &+ outputZeroPoint
                    output[o] = T(truncatingIfNeeded: Swift.min(Swift.max(value, Int32(T.min)), Int32(T.max)))
                }
                return
            }
            let zeroSum = Int64(inputZeroPoint) * Int64(plan.reducedCount)
            let low = Int32(T.min), high = Int32(T.max)
            for o in 0..<count {
                let shifted = Int32(truncatingIfNeeded: Int64(sums[o]) - zeroSum)
                let value = FixedPoint.multiply(shifted, by: multiplier) &+ outputZeroPoint
                output[o] = T(truncatingIfNeeded: Swift.min(Swift.max(value, low), high))
            }
        case .prod:
            return  // refused at prepare
        case .max:
            for o in 0..<count { output[o] = T.min }
            plan.forEach { i, o in if input[i] > output[o] { output[o] = input[i] } }
        case .min:
            for o in 0..<count { output[o] = T.max }
            plan.forEach { i, o in if input[i] < output[o] { output[o] = input[i] } }
        }
    }

    /// `static_cast<int32_t>(float)`, saturating where C++ is undefined.
    private static func saturatingInt32(_ value: Float) -> Int32 {
        if value.isNaN { return 0 }
        if value >= 2_147_483_648 { return .max }
        if value <= -2_147_483_648 { return .min }
        return Int32(value)
    }
}
