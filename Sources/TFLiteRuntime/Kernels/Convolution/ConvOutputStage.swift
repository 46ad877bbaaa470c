import CTFLiteKernels
import TFLiteModel

/// How a convolution-like kernel computes: which types, which accumulator and how the
/// accumulators become outputs. Shared by CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and
/// FULLY_CONNECTED.
///
/// - `float`: float32 everywhere (float16 weights arrive dequantized by a folded DEQUANTIZE).
/// - `int8`: int8 input/output, int8 per-channel (or per-tensor) weights, int32 bias.
/// - `uint8`: uint8 input/output/weights, per-tensor, weight zero point, int32 bias.
/// - `int16`: int16 input/output (zero point 0), int8 weights, int64 (or int32) bias, 64-bit
///   accumulators and LiteRT's 64-bit `MultiplyByQuantizedMultiplier`.
/// - `hybrid`: float input/output with int8 weights; the input is quantized per batch on the fly
///   (asymmetrically with a zero point, or symmetrically), accumulated exactly in int32 and
///   scaled back to float with the per-batch and per-channel scales.
enum ConvMode: Equatable, Sendable {
    case float
    case int8
    case uint8
    case int16
    case hybrid(asymmetric: Bool)
}

/// Precomputed requantization for the output channels, plus per-batch hybrid scales.
final class ConvOutputStage {
    let node: Node
    var mode: ConvMode = .float
    var channels = 0
    var multipliers: [FixedPoint.Multiplier] = [] {
        didSet {
            requantizationTable?.deallocate()
            let count = multipliers.count
            let table = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, 2 * count))
            for (i, m) in multipliers.enumerated() {
                table[i] = m.multiplier
                table[count + i] = Int32(clamping: m.shift)
            }
            requantizationTable = table
        }
    }
    /// `multipliers` split for the C requantization kernels: the multipliers, then the shifts, in
    /// one buffer the stage owns, so a run hands the kernels pointers without reference counting.
    private var requantizationTable: UnsafeMutablePointer<Int32>?
    /// The multipliers of `multipliers`, in `requantizationTable`.
    private var multiplierValues: UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: requantizationTable, count: requantizationTable == nil ? 0 : multipliers.count)
    }
    /// The shifts of `multipliers`, in `requantizationTable`.
    private var multiplierShifts: UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: requantizationTable.map { $0 + multipliers.count }, count: requantizationTable == nil ? 0 : multipliers.count)
    }
    var outputZeroPoint: Int32 = 0
    /// How 8-bit outputs round: gemmlowp's unless the kernel says otherwise after ``prepare``
    /// (int8 CONV_2D, FULLY_CONNECTED and some DEPTHWISE_CONV_2D shapes round halves up, as
    /// LiteRT's optimized kernels for them do; see ``ConvRounding``).
    var rounding = TFL_ROUNDING_GEMMLOWP
    /// 8-bit outputs: channels below this round halves up whatever ``rounding`` says (LiteRT's
    /// optimized TRANSPOSE_CONV requantizes whole blocks of 8 channels on its vector path and the
    /// rest with gemmlowp's rounding). Reset by ``prepare``.
    var halfUpChannels = 0
    /// uint8 outputs run through ``ConvRunner``: the outputs (flat, over all pixels) below this
    /// round halves up (LiteRT's optimized uint8 TRANSPOSE_CONV requantizes the whole output in
    /// blocks of 16 values on its vector path, the rest with gemmlowp's). Reset by ``prepare``.
    var halfUpElements = 0
    var quantizedMin: Int32 = 0
    var quantizedMax: Int32 = 0
    var floatMin: Float = -.greatestFiniteMagnitude
    var floatMax: Float = .greatestFiniteMagnitude
    /// Hybrid: per-channel weight scales (all equal for per-tensor weights).
    var channelScales: [Float] = []
    /// Hybrid: whether the weights' scales are applied per channel (else folded into the batch scale).
    var perChannelScales = true
    /// Hybrid, per channel: whether the batch's input scale and the channel's weight scale are
    /// multiplied together before they scale the sum, `acc × (channel × batch)` (LiteRT's
    /// FULLY_CONNECTED), rather than one after the other, `(acc × channel) × batch` (its
    /// convolutions). The two differ in the last bit.
    var hybridScalesFirst = false
    /// A following activation operator fused into the float32 or hybrid output stage
    /// (``ActivationFusion``): applied to each tile after the clamp. Set after ``prepare``.
    var fusedActivation: FloatActivation?
    /// Bias tensor index, or nil.
    var biasIndex: Int?
    var biasIs64 = false
    /// int16×8: requantize the 64-bit sum with the 32-bit `MultiplyByQuantizedMultiplier` (as
    /// LiteRT's FULLY_CONNECTED does) instead of the 64-bit one (CONV_2D and friends).
    var int16UsesInt32Multiplier = false
    /// int16×8: whether the C requantization (`tfl_requantize_s16_rows`) takes the outputs: the
    /// 64-bit multiplier, with multipliers and shifts in its range (LiteRT's always are).
    private(set) var vectorizedInt16 = false
    /// int16×8: the bias as `Int64` for the C requantization (refilled on every run).
    private var widenedBias: UnsafeMutablePointer<Int64>?
    /// Hybrid per-batch input scale and zero point (persistent scratch).
    var batchScales: UnsafeMutablePointer<Float>?
    var batchOffsets: UnsafeMutablePointer<Int32>?

    init(node: Node) { self.node = node }

    deinit { requantizationTable?.deallocate() }

    /// Chooses the mode from the input and filter types and checks the output and bias types.
    static func mode(input: RuntimeTensor, filter: RuntimeTensor, output: RuntimeTensor, asymmetricHybrid: Bool, node: Node) throws(InterpreterError) -> ConvMode {
        switch (input.type, filter.type) {
        case (.float32, .float32): return .float
        case (.float32, .int8): return .hybrid(asymmetric: asymmetricHybrid)
        case (.int8, .int8): return .int8
        case (.uint8, .uint8): return .uint8
        case (.int16, .int8): return .int16
        default:
            throw node.unsupported("input \(input.type) with filter \(filter.type) is not supported")
        }
    }

    /// Prepares the stage for `channels` output channels.
    func prepare(_ tensors: TensorTable, mode: ConvMode, input: RuntimeTensor, filter: RuntimeTensor, output: RuntimeTensor,
                 biasIndex: Int?, channels: Int, batches: Int, activation: FusedActivation,
                 legacyPerTensor: Bool = false) throws(InterpreterError) {
        self.mode = mode
        self.channels = channels
        self.biasIndex = biasIndex
        let expectedOutput: TensorType = switch mode {
        case .float, .hybrid: .float32
        case .int8: .int8
        case .uint8: .uint8
        case .int16: .int16
        }
        guard output.type == expectedOutput else {
            throw node.unsupported("output type \(output.type) with input \(input.type) and filter \(filter.type)")
        }
        // 8-bit data with its zero point removed must stay within ±255: the integer kernels
        // multiply 16-bit values and a hostile zero point would overflow them.
        if mode == .int8 || mode == .uint8 {
            let range: ClosedRange<Int32> = mode == .int8 ? -128...127 : 0...255
            for (tensor, role) in [(input, "input"), (filter, "filter"), (output, "output")] {
                let zeroPoints = tensor.quantization?.zeroPoints ?? []
                if let outside = zeroPoints.first(where: { !range.contains($0) }) {
                    throw node.invalid("\(role) zero point \(outside) is outside the \(tensor.type) range")
                }
            }
        }
        if case .hybrid = mode, let outside = (filter.quantization?.zeroPoints ?? []).first(where: { !(-128...127).contains($0) }) {
            throw node.invalid("filter zero point \(outside) is outside the int8 range")
        }
        if let biasIndex {
            let bias = tensors[biasIndex]
            switch mode {
            case .float, .hybrid:
                guard bias.type == .float32 else { throw node.unsupported("bias type \(bias.type) for float output") }
            case .int8, .uint8:
                guard bias.type == .int32 else { throw node.unsupported("bias type \(bias.type) for \(input.type)") }
            case .int16:
                guard bias.type == .int64 || bias.type == .int32 else { throw node.unsupported("bias type \(bias.type) for int16") }
            }
            biasIs64 = bias.type == .int64
            guard bias.elementCount == channels else {
                throw node.invalid("bias has \(bias.elementCount) values for \(channels) output channels")
            }
        }
        switch mode {
        case .float:
            (floatMin, floatMax) = activation.floatRange
        case .hybrid:
            (floatMin, floatMax) = activation.floatRange
            channelScales = try ConvSupport.filterScales(filter, channels: channels, node: node)
            batchScales = try ConvSupport.persistent(tensors, Float.self, count: batches, node: node)
            batchOffsets = try ConvSupport.persistent(tensors, Int32.self, count: batches, node: node)
        case .int8, .uint8, .int16:
            guard input.quantization != nil, input.scale > 0 else { throw node.invalid("quantized input needs a scale") }
            let range = try ConvSupport.quantizedRange(activation, output: output, node: node)
            (quantizedMin, quantizedMax) = range
            outputZeroPoint = output.zeroPoint
            let scales = try ConvSupport.filterScales(filter, channels: channels, node: node)
            if mode == .int16 && (input.zeroPoint != 0 || output.zeroPoint != 0) {
                throw node.unsupported("int16 convolution needs zero points of 0")
            }
            rounding = TFL_ROUNDING_GEMMLOWP
            halfUpChannels = 0
            halfUpElements = 0
            if mode == .uint8 || legacyPerTensor {
                let m = ConvSupport.legacyMultiplier(input: input.scale, filter: scales[0], output: output.scale)
                multipliers = Array(repeating: m, count: channels)
            } else {
                multipliers = ConvSupport.perChannelMultipliers(input: input.scale, filters: scales, output: output.scale)
            }
            vectorizedInt16 = mode == .int16 && !int16UsesInt32Multiplier && multiplierValues.count == channels
                && multiplierValues.allSatisfy { $0 >= 0 } && multiplierShifts.allSatisfy { (1...62).contains(15 - $0) }
            widenedBias = vectorizedInt16 ? try ConvSupport.persistent(tensors, Int64.self, count: channels, node: node) : nil
        }
    }

    /// The input offset integer kernels add to every input value.
    func inputOffset(_ input: RuntimeTensor) -> Int32 {
        switch mode {
        case .int8, .uint8: -input.zeroPoint
        default: 0
        }
    }

    /// Quantizes the float input per batch into `staged` (Int32, zero point removed) for hybrid mode.
    func stageHybrid(_ input: UnsafePointer<Float>, batches: Int, batchSize: Int, quantized: UnsafeMutablePointer<Int8>, staged: UnsafeMutablePointer<Int32>) {
        guard let batchOffsets else { return }
        quantizeHybrid(input, batches: batches, batchSize: batchSize, into: quantized)
        for b in 0..<batches {
            let offset = batchOffsets[b]
            let source = quantized + b * batchSize
            let out = staged + b * batchSize
            for i in 0..<batchSize { out[i] = Int32(source[i]) &- offset }
        }
    }

    /// Quantizes the float input per batch into `quantized` (int8 with the batch's zero point in
    /// ``batchOffsets``, scale in ``batchScales``) for hybrid mode.
    func quantizeHybrid(_ input: UnsafePointer<Float>, batches: Int, batchSize: Int, into quantized: UnsafeMutablePointer<Int8>) {
        guard case .hybrid(let asymmetric) = mode, let batchScales, let batchOffsets else { return }
        for b in 0..<batches {
            let source = input + b * batchSize
            let target = quantized + b * batchSize
            if asymmetric {
                let (scale, offset) = HybridQuantizer.asymmetric(source, count: batchSize, into: target)
                batchScales[b] = scale
                batchOffsets[b] = offset
            } else {
                batchScales[b] = HybridQuantizer.symmetric(source, count: batchSize, into: target)
                batchOffsets[b] = 0
            }
        }
    }

    // MARK: finishing accumulators

    @inline(__always)
    func finishFloat(_ acc: UnsafePointer<Float>, bias: UnsafePointer<Float>?, channelStart: Int, count: Int, output: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            var value = acc[i]
            if let bias { value += bias[channelStart + i] }
            output[i] = min(max(value, floatMin), floatMax)
        }
    }

    @inline(__always)
    func finishHybrid(_ acc: UnsafePointer<Int32>, columnSums: UnsafePointer<Int32>?, offset: Int32, bias: UnsafePointer<Float>?,
                      channelStart: Int, count: Int, batch: Int, output: UnsafeMutablePointer<Float>) {
        guard let batchScales else { return }
        let batchScale = batchScales[batch]
        channelScales.withUnsafeBufferPointer { scales in
            guard let base = scales.baseAddress else { return }
            // (acc × channel scale) × batch scale or acc × (channel scale × batch scale), or
            // acc × (batch scale × the one weight scale).
            let perChannel = perChannelScales
            if perChannel, channelStart + count > scales.count { return }
            tfl_dequantize_hybrid(acc, columnSums, offset, perChannel ? base + channelStart : nil,
                                  perChannel ? batchScale : batchScale * base[0], hybridScalesFirst ? 1 : 0,
                                  bias.map { $0 + channelStart }, floatMin, floatMax, output, count)
        }
    }

    @inline(__always)
    func finishQuantized<T: FixedWidthInteger>(_ acc: UnsafePointer<Int32>, bias: UnsafePointer<Int32>?, channelStart: Int, count: Int, output: UnsafeMutablePointer<T>) {
        if T.bitWidth == 8, channelStart + count <= multiplierValues.count {
            // 8-bit outputs: the vectorized kernel (same arithmetic, bit for bit).
            guard let values = multiplierValues.baseAddress, let shifts = multiplierShifts.baseAddress else { return }
            UnsafeMutableRawPointer(output).withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                Self.split(channelStart..<channelStart + count, halfUpChannels: halfUpChannels, rounding) { range, rounding in
                    let offset = range.lowerBound - channelStart
                    tfl_requantize_8bit(acc + offset, bias.map { $0 + range.lowerBound }, values + range.lowerBound,
                                        shifts + range.lowerBound, outputZeroPoint, quantizedMin, quantizedMax,
                                        bytes + offset, range.count, rounding)
                }
            }
            return
        }
        multipliers.withUnsafeBufferPointer { multipliers in
            for i in 0..<count {
                var value = acc[i]
                if let bias { value &+= bias[channelStart + i] }
                let multiplier = multipliers[channelStart + i]
                let halfUp = rounding == TFL_ROUNDING_HALF_UP || channelStart + i < halfUpChannels
                value = (halfUp ? FixedPoint.multiplyHalfUp(value, by: multiplier)
                                : FixedPoint.multiply(value, by: multiplier)) &+ outputZeroPoint
                output[i] = T(truncatingIfNeeded: min(max(value, quantizedMin), quantizedMax))
            }
        }
    }

    /// Calls `body(range, rounding)` for the parts of `channels` below and from `halfUpChannels`
    /// (halves up, then `rounding`); not at all for no channels.
    @inline(__always)
    static func split(_ channels: Range<Int>, halfUpChannels: Int, _ rounding: tfl_rounding,
                      _ body: (Range<Int>, tfl_rounding) -> Void) {
        let cut = min(max(halfUpChannels, channels.lowerBound), channels.upperBound)
        if cut > channels.lowerBound { body(channels.lowerBound..<cut, TFL_ROUNDING_HALF_UP) }
        if cut < channels.upperBound { body(cut..<channels.upperBound, rounding) }
    }

    /// What the 8-bit requantization needs, as plain values and pointers, so the per-pixel
    /// closures of a multi-threaded run touch no reference counts.
    struct Requantization {
        let multipliers: UnsafePointer<Int32>
        let shifts: UnsafePointer<Int32>
        let zeroPoint: Int32
        let minimum: Int32
        let maximum: Int32
        let rounding: tfl_rounding
        let halfUpChannels: Int

        /// Writes `count` 8-bit outputs for channels `0..<count` (the stage's channel order).
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, bias: UnsafePointer<Int32>?, count: Int, output: UnsafeMutableRawPointer) {
            finish(acc, accStride: count, rows: 1, bias: bias, channels: 0..<count, outputStride: count, output: output)
        }

        /// ``finish(_:bias:count:output:)`` with the channels below `halfUpChannels` rounding
        /// halves up (instead of the stage's own count).
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, bias: UnsafePointer<Int32>?, count: Int, halfUpChannels: Int,
                    output: UnsafeMutableRawPointer) {
            ConvOutputStage.split(0..<count, halfUpChannels: halfUpChannels, rounding) { range, rounding in
                let first = range.lowerBound
                tfl_requantize_8bit(acc + first, bias.map { $0 + first }, multipliers + first, shifts + first, zeroPoint,
                                    minimum, maximum, output.assumingMemoryBound(to: UInt8.self) + first, range.count, rounding)
            }
        }

        /// ``finish(_:bias:count:output:)`` for `rows` pixels: accumulators `accStride` apart,
        /// outputs `count` apart (consecutive pixels).
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, accStride: Int, rows: Int, bias: UnsafePointer<Int32>?, count: Int,
                    output: UnsafeMutableRawPointer) {
            finish(acc, accStride: accStride, rows: rows, bias: bias, channels: 0..<count, outputStride: count, output: output)
        }

        /// ``finish(_:accStride:rows:bias:count:output:)`` for the output channels in `channels`
        /// only: `acc` holds channel `channels.lowerBound`'s sums; `bias` and `output` are the
        /// whole rows', outputs `outputStride` apart.
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, accStride: Int, rows: Int, bias: UnsafePointer<Int32>?, channels: Range<Int>,
                    outputStride: Int, output: UnsafeMutableRawPointer) {
            ConvOutputStage.split(channels, halfUpChannels: halfUpChannels, rounding) { range, rounding in
                let first = range.lowerBound
                tfl_requantize_8bit_rows(acc + (first - channels.lowerBound), accStride, rows, bias.map { $0 + first },
                                         multipliers + first, shifts + first, zeroPoint, minimum, maximum,
                                         output.assumingMemoryBound(to: UInt8.self) + first, outputStride, range.count, rounding)
            }
        }
    }

    /// What the hybrid finish needs, as plain values and pointers (no reference counting in the
    /// per-pixel closures of a multi-threaded run).
    struct HybridScaling {
        let channelScales: UnsafePointer<Float>
        let perChannel: Bool
        /// ``ConvOutputStage/hybridScalesFirst``.
        let scalesFirst: Bool
        let batchScales: UnsafePointer<Float>
        let minimum: Float
        let maximum: Float
        /// ``ConvOutputStage/fusedActivation``.
        let activation: FloatActivation?

        /// Writes `count` float outputs for channels `0..<count`: the sums less
        /// `offset × columnSums[c]` (when given; the dot-product GEMM's form), times the channel's
        /// weight scale and the batch's input scale (in ``scalesFirst``'s order), plus the bias,
        /// clamped.
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, columnSums: UnsafePointer<Int32>?, offset: Int32, bias: UnsafePointer<Float>?,
                    count: Int, batch: Int, output: UnsafeMutablePointer<Float>) {
            finish(acc, columnSums: columnSums, offset: offset, bias: bias, channels: 0..<count, batch: batch, output: output)
        }

        /// ``finish(_:columnSums:offset:bias:count:batch:output:)`` for the output channels in
        /// `channels` only: `acc` and `output` start at channel `channels.lowerBound`;
        /// `columnSums` and `bias` are the whole row's.
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, columnSums: UnsafePointer<Int32>?, offset: Int32, bias: UnsafePointer<Float>?,
                    channels: Range<Int>, batch: Int, output: UnsafeMutablePointer<Float>) {
            finish(acc, accStride: 0, rows: 1, columnSums: columnSums, offset: offset, bias: bias, channels: channels, batch: batch,
                   output: output, outputStride: 0)
        }

        /// ``finish(_:columnSums:offset:bias:channels:batch:output:)`` for `rows` output pixels
        /// of batch `batch`: sums `accStride` apart, outputs `outputStride` apart.
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int32>, accStride: Int, rows: Int, columnSums: UnsafePointer<Int32>?, offset: Int32,
                    bias: UnsafePointer<Float>?, channels: Range<Int>, batch: Int, output: UnsafeMutablePointer<Float>,
                    outputStride: Int) {
            let first = channels.lowerBound
            let batchScale = batchScales[batch]
            // The clamps and LEAKY_RELU are applied in the store, in registers; others after it.
            let form = activation?.vectorForm
            let kind = form.map { $0.leaky ? TFL_HYBRID_LEAKY : TFL_HYBRID_CLAMP } ?? TFL_HYBRID_NONE
            tfl_dequantize_hybrid_rows_activated(acc, accStride, rows, columnSums.map { $0 + first }, offset,
                                                 perChannel ? channelScales + first : nil,
                                                 perChannel ? batchScale : batchScale * channelScales[0], scalesFirst ? 1 : 0,
                                                 bias.map { $0 + first }, minimum, maximum, output, outputStride, channels.count,
                                                 Int32(kind), form?.alpha ?? 0, form?.lo ?? 0, form?.hi ?? 0)
            if form == nil { activation?.apply(output, rows: rows, count: channels.count, stride: outputStride) }
        }
    }

    /// Calls `body` with the hybrid scaling, valid for the duration of the call; nil when the
    /// stage is not hybrid or not prepared.
    func withHybridScaling<R>(_ body: (HybridScaling?) throws(InterpreterError) -> R) throws(InterpreterError) -> R {
        let result: Result<R, InterpreterError> = channelScales.withUnsafeBufferPointer { scales in
            // Per-channel scaling reads a scale per channel; per-tensor only the first.
            let needed = perChannelScales ? max(1, channels) : 1
            guard let base = scales.baseAddress, scales.count >= needed, let batchScales else {
                do throws(InterpreterError) { return .success(try body(nil)) } catch { return .failure(error) }
            }
            let scaling = HybridScaling(channelScales: base, perChannel: perChannelScales, scalesFirst: hybridScalesFirst,
                                        batchScales: batchScales, minimum: floatMin, maximum: floatMax, activation: fusedActivation)
            do throws(InterpreterError) { return .success(try body(scaling)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Calls `body` with the requantization parameters, valid for the duration of the call;
    /// nil when the stage has no per-channel multipliers.
    func withRequantization<R>(_ body: (Requantization?) throws(InterpreterError) -> R) throws(InterpreterError) -> R {
        guard multipliers.count >= channels, let values = multiplierValues.baseAddress, let shifts = multiplierShifts.baseAddress else {
            return try body(nil)
        }
        return try body(Requantization(multipliers: values, shifts: shifts, zeroPoint: outputZeroPoint, minimum: quantizedMin,
                                       maximum: quantizedMax, rounding: rounding, halfUpChannels: halfUpChannels))
    }

    /// What the int16×8 C requantization needs, as plain values and pointers (no reference
    /// counting in the per-block closures of a multi-threaded run).
    struct Requantization16 {
        let multipliers: UnsafePointer<Int32>
        let shifts: UnsafePointer<Int32>
        let bias: UnsafePointer<Int64>?
        let minimum: Int32
        let maximum: Int32

        /// Writes `rows` pixels' int16 outputs for the output channels in `channels`: `acc` holds
        /// channel `channels.lowerBound`'s sums, rows `accStride` apart; `output` is the first
        /// row's channel 0, rows `outputStride` apart.
        @inline(__always)
        func finish(_ acc: UnsafePointer<Int64>, accStride: Int, rows: Int, channels: Range<Int>, outputStride: Int,
                    output: UnsafeMutablePointer<Int16>) {
            let first = channels.lowerBound
            tfl_requantize_s16_rows(acc, accStride, rows, bias.map { $0 + first }, multipliers + first, shifts + first,
                                    minimum, maximum, output + first, outputStride, channels.count)
        }
    }

    /// Calls `body` with the int16×8 C requantization (the bias widened to 64 bits from `bias`),
    /// valid for the duration of the call; nil when it does not apply (``vectorizedInt16``).
    func withRequantization16<R>(bias64: UnsafePointer<Int64>?, bias32: UnsafePointer<Int32>?,
                                 _ body: (Requantization16?) throws(InterpreterError) -> R) throws(InterpreterError) -> R {
        guard vectorizedInt16, let widenedBias else { return try body(nil) }
        var bias: UnsafePointer<Int64>? = bias64
        if bias64 == nil, let bias32 {
            for c in 0..<channels { widenedBias[c] = Int64(bias32[c]) }
            bias = UnsafePointer(widenedBias)
        }
        guard multipliers.count >= channels, let values = multiplierValues.baseAddress, let shifts = multiplierShifts.baseAddress else {
            return try body(nil)
        }
        return try body(Requantization16(multipliers: values, shifts: shifts, bias: bias, minimum: quantizedMin, maximum: quantizedMax))
    }

    @inline(__always)
    func finishQuantized16(_ acc: UnsafePointer<Int64>, bias64: UnsafePointer<Int64>?, bias32: UnsafePointer<Int32>?, channelStart: Int, count: Int, output: UnsafeMutablePointer<Int16>) {
        multipliers.withUnsafeBufferPointer { multipliers in
            for i in 0..<count {
                var value = acc[i]
                if let bias64 { value &+= bias64[channelStart + i] }
                if let bias32 { value &+= Int64(bias32[channelStart + i]) }
                let scaled = (int16UsesInt32Multiplier
                    ? FixedPoint.multiply(Int32(clamping: value), by: multipliers[channelStart + i])
                    : FixedPoint.multiply(value, by: multipliers[channelStart + i])) &+ outputZeroPoint
                output[i] = Int16(truncatingIfNeeded: min(max(scaled, quantizedMin), quantizedMax))
            }
        }
    }

    /// Typed bias pointers for `run` (nil when there is no bias).
    func biasPointers(_ tensors: TensorTable) throws(InterpreterError) -> (float: UnsafePointer<Float>?, int32: UnsafePointer<Int32>?, int64: UnsafePointer<Int64>?) {
        guard let biasIndex else { return (nil, nil, nil) }
        switch mode {
        case .float, .hybrid:
            return (UnsafePointer(try ConvSupport.checked(tensors[biasIndex], Float.self, count: channels, node: node)), nil, nil)
        case .int8, .uint8:
            return (nil, UnsafePointer(try ConvSupport.checked(tensors[biasIndex], Int32.self, count: channels, node: node)), nil)
        case .int16:
            if biasIs64 { return (nil, nil, UnsafePointer(try ConvSupport.checked(tensors[biasIndex], Int64.self, count: channels, node: node))) }
            return (nil, UnsafePointer(try ConvSupport.checked(tensors[biasIndex], Int32.self, count: channels, node: node)), nil)
        }
    }
}
