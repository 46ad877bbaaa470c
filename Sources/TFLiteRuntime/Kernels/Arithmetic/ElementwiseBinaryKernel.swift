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

/// ADD, SUB, MUL, DIV, SQUARED_DIFFERENCE, MAXIMUM and MINIMUM with broadcasting up to 6-D.
///
/// float32 computes directly and clamps to the fused activation; int32/int64 wrap like the C++
/// kernels; int8, uint8 and int16 follow LiteRT's reference fixed-point pipelines (see
/// ``QuantizedBinaryParameters``). MAXIMUM and MINIMUM compare raw quantized values.
final class ElementwiseBinaryKernel: Kernel {
    private let node: Node
    private let operation: BinaryOperation
    private let activation: FusedActivation
    private let potScaleInt16: Bool
    private var broadcast = BinaryBroadcast()
    /// Elements below which an 8-bit elementwise run stays on one thread.
    static let elementsPerThread = 1 << 11
    /// Outputs from which an 8-bit op with a one-element input goes through a table (building
    /// one takes 256 evaluations).
    static let scalarTableMinimum = 1024
    /// Elements below which a float32 ADD, SUB or MUL of same-shaped inputs stays on one thread.
    static let floatElementsPerThread = 1 << 12
    private var type = TensorType.float32
    private var quantized = QuantizedBinaryParameters()
    private var floatRange: (min: Float, max: Float) = (-.greatestFiniteMagnitude, .greatestFiniteMagnitude)
    private var intRange: (min: Int64, max: Int64) = (.min, .max)
    /// Both inputs have the output's shape (no broadcasting): 8-bit ADD/SUB take the C kernel.
    private var sameShape = false
    /// One input the whole output, the other repeating (a per-channel scale, a bias, a mean):
    /// runs of the contiguous kernels over a tiled copy (in `periodicScratch`).
    private var periodic: PeriodicBroadcast?
    private var periodicScratch: UnsafeMutableRawPointer?
    /// `periodicScratch` already holds the tiled repeating input (a constant, tiled at prepare).
    private var periodicTiled = false
    /// 8-bit MUL(x, f(x)) for a unary f (swish: x · logistic(x)): the output as a table of x
    /// alone (see ``composeMultiplication(unaryTable:unaryInput:unaryOutput:)``).
    private var composedTable: [UInt8] = []
    /// 8-bit ops with a one-element input (an input's rescaling, `x · s + b` as MUL then ADD):
    /// the output is a function of the other input's byte, kept as a 256-entry table for the
    /// scalar it was made with (`scalarTableKey`), looked up (`tfl_lookup_8bit`).
    private var scalarTable: UnsafeMutablePointer<UInt8>?
    private var scalarTableKey: Int32?
    /// 8-bit SQUARED_DIFFERENCE: each input's rescaled value by its byte (bit pattern), `a`'s
    /// 256 then `b`'s, so a run squares table differences and requantizes them in C.
    private var rescaledBytes: [Int32] = []

    /// The input x of a composed operator (``Path/swish`` and ``Path/composedLookup``).
    private var composedInput = 0
    /// A float32 activation operator fused after this one (``ActivationFusion``), applied to each
    /// run of outputs as it is written, and the activation's output, written instead of the
    /// node's own (see ElementwiseBinaryKernel+ActivationFusion.swift).
    var fusedActivation: FloatActivation?
    var fusedOutput: Int?

    /// How `run` computes, chosen in `prepare` (or by composition right after it). Payload-free
    /// (what a path needs is prepared beside it), so `run` switches on a plain tag.
    private enum Path {
        /// float32 MUL composed with its LOGISTIC: x · logistic(x) from `composedInput` alone.
        case swish
        /// 8-bit MUL composed with a unary of `composedInput`: one lookup in `composedTable`.
        case composedLookup
        case float(FloatLoop)
        case int32, int64
        case int8, uint8, int16
    }

    /// How a float32 operation walks its tensors.
    private enum FloatLoop {
        /// ADD, SUB, MUL or SQUARED_DIFFERENCE with one input repeating (`periodic`): contiguous
        /// runs over a tiled copy.
        case periodic
        /// ADD, SUB, MUL or SQUARED_DIFFERENCE of same-shaped inputs: contiguous runs in C, split
        /// over the pool when large enough.
        case sameShapeSplit
        /// A general broadcast large enough to split over the pool by output rows.
        case generalSplit
        /// One pass on the calling thread.
        case serial
    }
    private var path = Path.float(.serial)

    /// Whether `run` writes float32 ADD, SUB or MUL outputs in contiguous runs, so an activation
    /// can follow each run (``fusedActivation``).
    var writesFloatRuns: Bool {
        guard [.add, .sub, .mul].contains(operation) else { return false }
        switch path {
        case .float(.periodic), .float(.sameShapeSplit), .float(.serial): return true
        default: return false
        }
    }

    /// Whether `run` is the composed lookup (8-bit) or the fused swish (float32).
    var isComposed: Bool {
        switch path {
        case .swish, .composedLookup: true
        default: false
        }
    }

    init(_ node: Node, _ operation: BinaryOperation) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        self.operation = operation
        var raw: Int8 = 0
        var potScale = true
        switch operation {
        case .add:
            let options = try node.options(expecting: AddOptions.self)
            (raw, potScale) = (options.fusedActivationFunction, options.potScaleInt16)
        case .sub:
            let options = try node.options(expecting: SubOptions.self)
            (raw, potScale) = (options.fusedActivationFunction, options.potScaleInt16)
        case .mul: raw = try node.options(expecting: MulOptions.self).fusedActivationFunction
        case .div: raw = try node.options(expecting: DivOptions.self).fusedActivationFunction
        default: break
        }
        activation = try FusedActivation(raw: raw, node: node)
        potScaleInt16 = potScale
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        composedTable = []
        rescaledBytes = []
        let a = tensors[try node.input(0)]
        let b = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        guard a.type == b.type else { throw node.invalid("input types differ (\(a.type) and \(b.type))") }
        guard operation.supportedTypes.contains(a.type) else {
            throw node.unsupported("\(a.type) inputs are not supported")
        }
        type = a.type
        guard tensors[outputIndex].type == a.type else {
            throw node.unsupported("\(a.type) inputs with a \(tensors[outputIndex].type) output are not supported")
        }
        broadcast = try BinaryBroadcast(a.shape, b.shape, node: node)
        sameShape = a.shape == b.shape
        periodic = broadcast.layout == .general ? PeriodicBroadcast(a.shape, b.shape, output: broadcast.outputShape) : nil
        periodicScratch = nil
        periodicTiled = false
        scalarTable = nil
        scalarTableKey = nil
        if a.type.byteWidth == 1, broadcast.layout == .scalarA || broadcast.layout == .scalarB,
           broadcast.outputCount >= Self.scalarTableMinimum, operation != .div {
            scalarTable = try tensors.allocatePersistent(byteCount: 256).bindMemory(to: UInt8.self, capacity: 256)
        }
        if let periodic, periodic.needsScratch, let width = a.type.byteWidth {
            let scratch = try tensors.allocatePersistent(byteCount: periodic.runLength * width)
            periodicScratch = scratch
            // A constant repeating input (a per-channel scale or bias) is tiled once, not per run.
            let repeating = periodic.periodicInput == 0 ? a : b
            if repeating.isConstant, let data = repeating.data, repeating.byteCount >= periodic.period * width {
                periodic.tile(UnsafeRawPointer(data), into: scratch, width: width)
                periodicTiled = true
            }
        }
        tensors[outputIndex].shape = broadcast.outputShape
        let output = tensors[outputIndex]
        path = switch type {
        case .float32: .float(floatLoop())
        case .int32: .int32
        case .int64: .int64
        case .int8: .int8
        case .uint8: .uint8
        case .int16: .int16
        default: throw node.unsupported("\(type) inputs are not supported")
        }

        floatRange = activation.floatRange
        switch activation {
        case .relu: intRange = (0, .max)
        case .relu6: intRange = (0, 6)
        case .reluN1To1: intRange = (-1, 1)
        default: intRange = (.min, .max)
        }

        guard [.int8, .uint8, .int16].contains(type), operation.rescalesQuantized else { return }
        for tensor in [a, b, output] {
            guard let q = tensor.quantization, !q.isPerChannel, q.scale > 0, q.scale.isFinite else {
                throw node.invalid("\(type) tensor \(tensor.name) needs a positive per-tensor scale")
            }
        }
        let (qmin, qmax): (Int32, Int32) = switch type {
        case .int8: (-128, 127)
        case .uint8: (0, 255)
        default: (-32768, 32767)
        }
        for tensor in [a, b, output] where !(qmin...qmax).contains(tensor.zeroPoint) {
            throw node.invalid("zero point \(tensor.zeroPoint) of \(tensor.name) is outside the \(type) range")
        }
        if type == .int16 {
            for tensor in [a, b, output] where tensor.zeroPoint != 0 {
                throw node.unsupported("int16 tensor \(tensor.name) has zero point \(tensor.zeroPoint) (must be 0)")
            }
        }
        switch operation {
        case .add, .sub:
            if type == .int16 && potScaleInt16 && [a, b, output].allSatisfy({ Self.isPowerOfTwo($0.scale) }) {
                throw node.unsupported("int16 with power-of-two scales (pot_scale_int16) is not supported")
            }
            quantized = .addSub(a: a, b: b, output: output, leftShift: type == .int16 ? 15 : 20)
            quantized.roundsInputsOnce = type == .int16 && operation == .add && broadcast.layout == .same
        case .mul:
            quantized = .mul(a: a, b: b, output: output)
        case .squaredDifference:
            quantized = .squaredDifference(a: a, b: b, output: output)
            if type.byteWidth == 1 { rescaledBytes = quantized.rescaledBytes(signed: type == .int8) }
        default:
            break
        }
        let range = activation.quantizedRange(scale: output.scale, zeroPoint: output.zeroPoint, qmin: qmin, qmax: qmax)
        quantized.activationMin = range.min
        quantized.activationMax = range.max
    }

    /// The float32 loop for the prepared broadcast.
    private func floatLoop() -> FloatLoop {
        let runs = [.add, .sub, .mul, .squaredDifference].contains(operation)
        if periodic != nil, runs { return .periodic }
        // Same shapes take the C runs at any size (the pool keeps small ones on this thread).
        if broadcast.layout == .same, runs { return .sameShapeSplit }
        if broadcast.layout == .general, broadcast.outputCount >= 2 * Self.floatElementsPerThread { return .generalSplit }
        return .serial
    }

    private static func isPowerOfTwo(_ scale: Float) -> Bool {
        let log = log2(Double(scale))
        return abs(log - log.rounded()) < 1e-6
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        // The tensors' fields are read in place: a copy of each would cost a reference count
        // up and down per run. A fused activation's output is written in place of the node's.
        let first = try node.input(0), second = try node.input(1)
        let result: Int
        if let fusedOutput { result = fusedOutput } else { result = try node.output(0) }
        guard tensors[result].elementCount == broadcast.outputCount,
              tensors[result].byteCount >= broadcast.outputCount * (type.byteWidth ?? 0) else {
            throw node.failure("tensor sizes changed after prepare")
        }
        if broadcast.outputCount == 0 { return }
        let a = tensors[first].data, b = tensors[second].data, output = tensors[result].data
        switch path {
        case .swish:
            let x = composedInput == 0 ? first : second
            guard let source = tensors[x].data?.assumingMemoryBound(to: Float.self), tensors[x].elementCount >= broadcast.outputCount,
                  let target = output?.assumingMemoryBound(to: Float.self) else { throw node.failure("tensor sizes changed after prepare") }
            let lo = floatRange.min, hi = floatRange.max
            tensors.pool.parallelFor(broadcast.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                tfl_swish_f32(source + range.lowerBound, target + range.lowerBound, range.count, lo, hi)
            }
        case .composedLookup:
            let x = composedInput == 0 ? first : second
            guard let source = tensors[x].data?.assumingMemoryBound(to: UInt8.self), tensors[x].byteCount >= broadcast.outputCount,
                  let target = output?.assumingMemoryBound(to: UInt8.self) else { throw node.failure("tensor sizes changed after prepare") }
            composedTable.withUnsafeBufferPointer { table in
                guard let base = table.baseAddress, table.count == 256 else { return }
                tensors.pool.parallelFor(broadcast.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                    tfl_lookup_8bit(source + range.lowerBound, base, target + range.lowerBound, range.count)
                }
            }
        case .float(let loop): runFloat(loop, a, b, output, tensors.pool)
        case .int32: try runInteger(Int32.self, a, b, output)
        case .int64: try runInteger(Int64.self, a, b, output)
        case .int8: runQuantized(Int8.self, a, b, output, tensors.pool)
        case .uint8: runQuantized(UInt8.self, a, b, output, tensors.pool)
        case .int16: runQuantized(Int16.self, a, b, output, tensors.pool)
        }
    }

    /// The 8- and 16-bit ADD/SUB's parameters for `tfl_add_8bit` and `tfl_add_16bit`.
    private var addParameters: tfl_add_params {
        let p = quantized
        return tfl_add_params(
            offset_a: p.inputOffsetA, offset_b: p.inputOffsetB, left_shift: p.leftShift,
            multiplier_a: p.multiplierA.multiplier, shift_a: Int32(clamping: p.multiplierA.shift),
            multiplier_b: p.multiplierB.multiplier, shift_b: Int32(clamping: p.multiplierB.shift),
            multiplier_out: p.outputMultiplier.multiplier, shift_out: Int32(clamping: p.outputMultiplier.shift),
            zero_point_out: p.outputOffset, minimum: p.activationMin, maximum: p.activationMax)
    }

    /// The 8-bit MUL's parameters for `tfl_mul_8bit`.
    private var mulParameters: tfl_mul_params {
        let p = quantized
        return tfl_mul_params(offset_a: p.inputOffsetA, offset_b: p.inputOffsetB, multiplier: p.outputMultiplier.multiplier,
                              shift: Int32(clamping: p.outputMultiplier.shift), zero_point: p.outputOffset,
                              minimum: p.activationMin, maximum: p.activationMax)
    }

    /// Called after `prepare` when one input of this operator is the output (`unaryOutput`) of an
    /// 8-bit unary operator whose input (`unaryInput`) is the other: for an 8-bit MUL of equal
    /// shapes the output then depends on that one byte alone, so it is tabulated here from the
    /// unary's table (`unaryTable[byte]`) through the same MUL kernel, and `run` becomes one
    /// lookup. Returns whether it applied.
    func composeMultiplication(unaryTable: [UInt8], unaryInput: Int, unaryOutput: Int) -> Bool {
        guard operation == .mul, type == .int8 || type == .uint8, sameShape, unaryTable.count == 256,
              let first = try? node.input(0), let second = try? node.input(1) else { return false }
        let position: Int
        if first == unaryInput && second == unaryOutput { position = 0 }
        else if second == unaryInput && first == unaryOutput { position = 1 }
        else { return false }
        let bytes = (0..<256).map { UInt8($0) }
        var parameters = mulParameters
        var table = [UInt8](repeating: 0, count: 256)
        let signed: Int32 = type == .int8 ? 1 : 0
        if position == 0 {
            tfl_mul_8bit(bytes, 1, unaryTable, 1, signed, &parameters, &table, 256)
        } else {
            tfl_mul_8bit(unaryTable, 1, bytes, 1, signed, &parameters, &table, 256)
        }
        composedTable = table
        composedInput = position
        path = .composedLookup
        return true
    }

    /// Called after `prepare` when one input of this operator is the output (`logisticOutput`)
    /// of a float32 LOGISTIC whose input (`logisticInput`) is the other: a float MUL of equal
    /// shapes then runs as `tfl_swish_f32` on that input alone (same values: the logistic is
    /// LOGISTIC's own kernel, the product and clamp `runFloat`'s). Returns whether it applied.
    func composeSwish(logisticInput: Int, logisticOutput: Int) -> Bool {
        guard operation == .mul, type == .float32, sameShape,
              let first = try? node.input(0), let second = try? node.input(1) else { return false }
        if first == logisticInput && second == logisticOutput { composedInput = 0 }
        else if second == logisticInput && first == logisticOutput { composedInput = 1 }
        else { return false }
        path = .swish
        return true
    }

    private func runFloat(_ loop: FloatLoop, _ a: UnsafeMutableRawPointer?, _ b: UnsafeMutableRawPointer?,
                          _ output: UnsafeMutableRawPointer?, _ pool: ThreadPool) {
        guard let x = a?.assumingMemoryBound(to: Float.self), let y = b?.assumingMemoryBound(to: Float.self),
              let out = output?.assumingMemoryBound(to: Float.self) else { return }
        let lo = floatRange.min, hi = floatRange.max
        let operation = self.operation
        let bc = broadcast
        let activation = fusedActivation
        switch loop {
        case .periodic:
            guard let periodic else { return }
            runPeriodic(periodic, x, y, out, pool) { a, b, o, count in
                Self.floatRun(operation, a, b, o, count, lo, hi)
                activation?.apply(o, count: count)
            }
        case .sameShapeSplit:
            // Same shapes (residual connections): contiguous runs split over the pool.
            pool.parallelFor(bc.outputCount, minimumPerThread: Self.floatElementsPerThread) { range in
                let first = range.lowerBound
                Self.floatRun(operation, x + first, y + first, out + first, range.count, lo, hi)
                activation?.apply(out + first, count: range.count)
            }
        case .generalSplit:
            // The closures stay literals inside the split loop, so each inlines and vectorizes.
            pool.parallelFor(bc.rows, minimumPerThread: max(1, Self.floatElementsPerThread / max(bc.dims[5], 1))) { rows in
                switch operation {
                case .add: bc.apply(rows: rows, x, y, out) { min(max($0 + $1, lo), hi) }
                case .sub: bc.apply(rows: rows, x, y, out) { min(max($0 - $1, lo), hi) }
                case .mul: bc.apply(rows: rows, x, y, out) { min(max($0 * $1, lo), hi) }
                case .div: bc.apply(rows: rows, x, y, out) { min(max($0 / $1, lo), hi) }
                case .squaredDifference: bc.apply(rows: rows, x, y, out) { ($0 - $1) * ($0 - $1) }
                case .maximum: bc.apply(rows: rows, x, y, out) { $0 > $1 ? $0 : $1 }
                case .minimum: bc.apply(rows: rows, x, y, out) { $0 < $1 ? $0 : $1 }
                }
            }
        case .serial:
            switch operation {
            case .add: bc.apply(x, y, out) { min(max($0 + $1, lo), hi) }
            case .sub: bc.apply(x, y, out) { min(max($0 - $1, lo), hi) }
            case .mul: bc.apply(x, y, out) { min(max($0 * $1, lo), hi) }
            case .div: bc.apply(x, y, out) { min(max($0 / $1, lo), hi) }
            case .squaredDifference: bc.apply(x, y, out) { ($0 - $1) * ($0 - $1) }
            case .maximum: bc.apply(x, y, out) { $0 > $1 ? $0 : $1 }
            case .minimum: bc.apply(x, y, out) { $0 < $1 ? $0 : $1 }
            }
            activation?.apply(out, count: bc.outputCount)
        }
    }

    /// One contiguous run of a float32 ADD, SUB, MUL (in C at the thread's vector width, the
    /// clamp `min(max(v, lo), hi)` as Swift defines it) or SQUARED_DIFFERENCE.
    @inline(__always)
    private static func floatRun(_ operation: BinaryOperation, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                 _ o: UnsafeMutablePointer<Float>, _ count: Int, _ lo: Float, _ hi: Float) {
        switch operation {
        case .add: tfl_binary_f32(a, b, o, count, Int32(TFL_BINARY_ADD), lo, hi)
        case .sub: tfl_binary_f32(a, b, o, count, Int32(TFL_BINARY_SUB), lo, hi)
        case .squaredDifference: for i in 0..<count { o[i] = (a[i] - b[i]) * (a[i] - b[i]) }
        default: tfl_binary_f32(a, b, o, count, Int32(TFL_BINARY_MUL), lo, hi)
        }
    }

    /// `broadcast.apply`, split over the pool by output rows when the layout is general and the
    /// output large enough (a LayerNorm's `x − mean` and its square, broadcast along channels);
    /// for the 8-bit ops, whose fixed-point arithmetic per element outweighs the closure call.
    @inline(__always)
    private func apply<A, B, O>(_ pool: ThreadPool, _ x: UnsafePointer<A>, _ y: UnsafePointer<B>, _ out: UnsafeMutablePointer<O>,
                                _ body: (A, B) -> O) {
        let bc = broadcast
        guard bc.layout == .general, bc.outputCount >= 2 * Self.elementsPerThread else {
            bc.apply(x, y, out, body)
            return
        }
        pool.parallelFor(bc.rows, minimumPerThread: max(1, Self.elementsPerThread / max(bc.dims[5], 1))) { rows in
            bc.apply(rows: rows, x, y, out, body)
        }
    }

    /// `body(a, b, output, count)` over the runs of a periodic broadcast (split over the pool):
    /// both inputs contiguous for `count` elements, the repeating one from its tiled copy.
    private func runPeriodic<T>(_ periodic: PeriodicBroadcast, _ x: UnsafePointer<T>, _ y: UnsafePointer<T>,
                                _ out: UnsafeMutablePointer<T>, _ pool: ThreadPool,
                                _ body: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Int) -> Void) {
        let repeating = UnsafeRawPointer(periodic.periodicInput == 0 ? x : y)
        periodic.run(periodic: repeating, scratch: periodicScratch, tiled: periodicTiled, width: MemoryLayout<T>.stride, pool: pool,
                     minimumPerThread: Self.elementsPerThread) { offset, run, count in
            let tiled = run.assumingMemoryBound(to: T.self)
            if periodic.periodicInput == 0 {
                body(tiled, y + offset, out + offset, count)
            } else {
                body(x + offset, tiled, out + offset, count)
            }
        }
    }

    private func runInteger<T: FixedWidthInteger & SignedInteger>(
        _: T.Type, _ a: UnsafeMutableRawPointer?, _ b: UnsafeMutableRawPointer?, _ output: UnsafeMutableRawPointer?
    ) throws(InterpreterError) {
        guard let x = a?.assumingMemoryBound(to: T.self), let y = b?.assumingMemoryBound(to: T.self),
              let out = output?.assumingMemoryBound(to: T.self) else { return }
        let lo = T(clamping: intRange.min), hi = T(clamping: intRange.max)
        let bc = broadcast
        switch operation {
        case .add: bc.apply(x, y, out) { min(max($0 &+ $1, lo), hi) }
        case .sub: bc.apply(x, y, out) { min(max($0 &- $1, lo), hi) }
        case .mul: bc.apply(x, y, out) { min(max($0 &* $1, lo), hi) }
        case .div:
            var divisionByZero = false
            bc.apply(x, y, out) { (p: T, q: T) -> T in
                if q == 0 {
                    divisionByZero = true
                    return 0
                }
                return min(max(p.dividedReportingOverflow(by: q).partialValue, lo), hi)
            }
            if divisionByZero { throw node.failure("integer division by zero") }
        case .squaredDifference: bc.apply(x, y, out) { ($0 &- $1) &* ($0 &- $1) }
        case .maximum: bc.apply(x, y, out) { $0 > $1 ? $0 : $1 }
        case .minimum: bc.apply(x, y, out) { $0 < $1 ? $0 : $1 }
        }
    }

    /// 8-bit SQUARED_DIFFERENCE (scalar layouts aside, which take the table): the inputs'
    /// rescaled values from `rescaledBytes`, their squared differences in blocks requantized by
    /// `tfl_requantize_8bit_uniform` (LiteRT's output step, the same arithmetic as
    /// ``QuantizedBinaryParameters/squaredDifference(_:_:)``).
    private func runSquaredDifference8<T>(_ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>,
                                          _ pool: ThreadPool) {
        let p = quantized, bc = broadcast
        let multiplier = p.outputMultiplier.multiplier, shift = Int32(clamping: p.outputMultiplier.shift)
        rescaledBytes.withUnsafeBufferPointer { tables in
            guard let tableA = tables.baseAddress, tables.count == 512 else { return }
            let tableB = tableA + 256
            // `count` outputs from a (every `stepA`) and b (every `stepB`), steps 0 or 1.
            func block(_ a: UnsafePointer<T>, _ stepA: Int, _ b: UnsafePointer<T>, _ stepB: Int, _ o: UnsafeMutablePointer<T>, _ count: Int) {
                let a = UnsafeRawPointer(a).assumingMemoryBound(to: UInt8.self)
                let b = UnsafeRawPointer(b).assumingMemoryBound(to: UInt8.self)
                let o = UnsafeMutableRawPointer(o).assumingMemoryBound(to: UInt8.self)
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { squares in
                    guard let squares = squares.baseAddress else { return }
                    var done = 0
                    while done < count {
                        let n = min(256, count - done)
                        for i in 0..<n {
                            let d = tableA[Int(a[(done + i) * stepA])] &- tableB[Int(b[(done + i) * stepB])]
                            squares[i] = d &* d
                        }
                        tfl_requantize_8bit_uniform(squares, multiplier, shift, p.outputOffset, p.activationMin, p.activationMax,
                                                    o + done, n)
                        done += n
                    }
                }
            }
            if let periodic {
                runPeriodic(periodic, x, y, out, pool) { a, b, o, count in block(a, 1, b, 1, o, count) }
            } else if bc.layout == .same {
                pool.parallelFor(bc.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                    block(x + range.lowerBound, 1, y + range.lowerBound, 1, out + range.lowerBound, range.count)
                }
            } else {
                bc.forEachRow { offsetA, stepA, offsetB, stepB, offsetOut, count in
                    block(x + offsetA, stepA, y + offsetB, stepB, out + offsetOut, count)
                }
            }
        }
    }

    private func runQuantized<T: FixedWidthInteger>(
        _: T.Type, _ a: UnsafeMutableRawPointer?, _ b: UnsafeMutableRawPointer?, _ output: UnsafeMutableRawPointer?,
        _ pool: ThreadPool
    ) {
        guard let x = a?.assumingMemoryBound(to: T.self), let y = b?.assumingMemoryBound(to: T.self),
              let out = output?.assumingMemoryBound(to: T.self) else { return }
        let p = quantized
        let bc = broadcast
        if T.bitWidth == 8, let table = scalarTable {
            let scalarIsA = bc.layout == .scalarA
            let scalar = Int32(scalarIsA ? x[0] : y[0])
            if scalarTableKey != scalar {
                let operation = self.operation
                for byte in 0..<256 {
                    let v = Int32(T(truncatingIfNeeded: byte))
                    let (l, r) = scalarIsA ? (scalar, v) : (v, scalar)
                    let value: Int32 = switch operation {
                    case .add: p.add(l, r, negateB: false)
                    case .sub: p.add(l, r, negateB: true)
                    case .mul: p.mul(l, r)
                    case .squaredDifference: p.squaredDifference(l, r)
                    case .maximum: max(l, r)
                    case .minimum: min(l, r)
                    case .div: 0  // never tabled (see prepare)
                    }
                    table[byte] = UInt8(truncatingIfNeeded: value)
                }
                scalarTableKey = scalar
            }
            let source = UnsafeRawPointer(scalarIsA ? y : x).assumingMemoryBound(to: UInt8.self)
            let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt8.self)
            let lookup = UnsafePointer(table)
            pool.parallelFor(bc.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                tfl_lookup_8bit(source + range.lowerBound, lookup, o + range.lowerBound, range.count)
            }
            return
        }
        switch operation {
        case .add, .sub:
            let negate = operation == .sub
            if T.bitWidth == 8, sameShape {
                let parameters = addParameters
                let signed: Int32 = T.isSigned ? 1 : 0
                let a = UnsafeRawPointer(x).assumingMemoryBound(to: UInt8.self)
                let b = UnsafeRawPointer(y).assumingMemoryBound(to: UInt8.self)
                let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt8.self)
                let negateB: Int32 = negate ? 1 : 0
                pool.parallelFor(bc.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                    var chunkParameters = parameters
                    tfl_add_8bit(a + range.lowerBound, b + range.lowerBound, signed, negateB, &chunkParameters, o + range.lowerBound, range.count)
                }
            } else if T.bitWidth == 16, T.isSigned, sameShape {
                // int16 residual ADDs (int16x8 models): the vectorized kernel, same arithmetic.
                let parameters = addParameters
                let negateB: Int32 = negate ? 1 : 0, roundsOnce: Int32 = p.roundsInputsOnce ? 1 : 0
                let a = UnsafeRawPointer(x).assumingMemoryBound(to: Int16.self)
                let b = UnsafeRawPointer(y).assumingMemoryBound(to: Int16.self)
                let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Int16.self)
                pool.parallelFor(bc.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                    var chunkParameters = parameters
                    tfl_add_16bit(a + range.lowerBound, b + range.lowerBound, negateB, roundsOnce, &chunkParameters, o + range.lowerBound,
                                  range.count)
                }
            } else if T.bitWidth == 8, let periodic {
                let parameters = addParameters
                let signed: Int32 = T.isSigned ? 1 : 0, negateB: Int32 = negate ? 1 : 0
                runPeriodic(periodic, x, y, out, pool) { a, b, o, count in
                    var parameters = parameters  // per run: runs go to several threads
                    tfl_add_8bit(UnsafeRawPointer(a).assumingMemoryBound(to: UInt8.self), UnsafeRawPointer(b).assumingMemoryBound(to: UInt8.self),
                                 signed, negateB, &parameters, UnsafeMutableRawPointer(o).assumingMemoryBound(to: UInt8.self), count)
                }
            } else {
                apply(pool, x, y, out) { T(truncatingIfNeeded: p.add(Int32($0), Int32($1), negateB: negate)) }
            }
        case .mul:
            if T.bitWidth == 8 {
                // The C kernel row by row (same arithmetic as p.mul).
                var parameters = mulParameters
                let signed: Int32 = T.isSigned ? 1 : 0
                let a = UnsafeRawPointer(x).assumingMemoryBound(to: UInt8.self)
                let b = UnsafeRawPointer(y).assumingMemoryBound(to: UInt8.self)
                let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt8.self)
                if let periodic {
                    let shared = parameters
                    runPeriodic(periodic, x, y, out, pool) { a, b, o, count in
                        var parameters = shared  // per run: runs go to several threads
                        tfl_mul_8bit(UnsafeRawPointer(a).assumingMemoryBound(to: UInt8.self), 1, UnsafeRawPointer(b).assumingMemoryBound(to: UInt8.self), 1,
                                     signed, &parameters, UnsafeMutableRawPointer(o).assumingMemoryBound(to: UInt8.self), count)
                    }
                } else if bc.layout == .general {
                    bc.forEachRow { offsetA, stepA, offsetB, stepB, offsetOut, count in
                        tfl_mul_8bit(a + offsetA, stepA, b + offsetB, stepB, signed, &parameters, o + offsetOut, count)
                    }
                } else {
                    // One run over the whole output: split it over the pool.
                    let stepA = bc.layout == .scalarA ? 0 : 1, stepB = bc.layout == .scalarB ? 0 : 1
                    pool.parallelFor(bc.outputCount, minimumPerThread: Self.elementsPerThread) { range in
                        var chunkParameters = parameters
                        tfl_mul_8bit(a + range.lowerBound * stepA, stepA, b + range.lowerBound * stepB, stepB, signed, &chunkParameters,
                                     o + range.lowerBound, range.count)
                    }
                }
            } else {
                bc.apply(x, y, out) { T(truncatingIfNeeded: p.mul(Int32($0), Int32($1))) }
            }
        case .squaredDifference:
            if T.bitWidth == 8, rescaledBytes.count == 512 {
                runSquaredDifference8(x, y, out, pool)
            } else {
                apply(pool, x, y, out) { T(truncatingIfNeeded: p.squaredDifference(Int32($0), Int32($1))) }
            }
        case .maximum: apply(pool, x, y, out) { $0 > $1 ? $0 : $1 }
        case .minimum: apply(pool, x, y, out) { $0 < $1 ? $0 : $1 }
        case .div: break
        }
    }
}
