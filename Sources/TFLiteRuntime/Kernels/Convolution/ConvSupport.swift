import CTFLiteKernels
import TFLiteModel

/// `tflite.Padding`.
enum ConvPadding: Int8, Sendable {
    case same = 0
    case valid = 1
}

/// Output size and leading padding along one spatial axis, the way LiteRT's
/// `ComputePaddingHeightWidth` computes them.
struct ConvAxis: Equatable, Sendable {
    var outputSize: Int
    var padding: Int

    /// The axis of a convolution (or pooling) window over `inputSize` values.
    init(padding mode: ConvPadding, inputSize: Int, filterSize: Int, stride: Int, dilation: Int) {
        let effectiveFilter = (filterSize - 1) * dilation + 1
        switch mode {
        case .same: outputSize = (inputSize + stride - 1) / stride
        case .valid: outputSize = max(0, (inputSize + stride - effectiveFilter) / stride)
        }
        let total = (outputSize - 1) * stride + effectiveFilter - inputSize
        padding = max(0, total) / 2
    }

    init(outputSize: Int, padding: Int) {
        self.outputSize = outputSize
        self.padding = padding
    }
}

/// Shapes and window parameters of a 2-D convolution over NHWC tensors.
struct ConvGeometry: Equatable, Sendable {
    var batches = 0
    var inputHeight = 0
    var inputWidth = 0
    var inputDepth = 0
    var outputHeight = 0
    var outputWidth = 0
    var outputDepth = 0
    var filterHeight = 0
    var filterWidth = 0
    var strideHeight = 1
    var strideWidth = 1
    var dilationHeight = 1
    var dilationWidth = 1
    var paddingHeight = 0
    var paddingWidth = 0

    var inputCount: Int { batches * inputHeight * inputWidth * inputDepth }
    var outputCount: Int { batches * outputHeight * outputWidth * outputDepth }
    var taps: Int { filterHeight * filterWidth }

    /// The table indices of `node`'s data input (input `inputPosition`) and output 0, once their
    /// element counts are checked against this geometry (fixed at prepare) at the start of a run.
    /// Indices rather than tensors, so callers can keep borrowing the tensors from the table.
    func checkedOperands(_ tensors: TensorTable, input inputPosition: Int,
                         _ node: Node) throws(InterpreterError) -> (input: Int, output: Int) {
        let inputIndex = try node.input(inputPosition), outputIndex = try node.output(0)
        guard tensors[inputIndex].elementCount == inputCount, tensors[outputIndex].elementCount == outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        return (inputIndex, outputIndex)
    }
}

/// Option checks, quantization parameters and memory helpers shared by the convolution family.
enum ConvSupport {
    /// A `padding` option (`tflite.Padding`).
    static func padding(_ raw: Int8, _ node: Node) throws(InterpreterError) -> ConvPadding {
        guard let padding = ConvPadding(rawValue: raw) else { throw node.invalid("unknown padding \(raw)") }
        return padding
    }

    /// A positive stride, dilation or window size option (`name` is the schema's field name).
    static func positive(_ raw: Int32, name: String, _ node: Node) throws(InterpreterError) -> Int {
        guard raw > 0, raw <= 1 << 16 else { throw node.invalid("\(name) must be positive, got \(raw)") }
        return Int(raw)
    }

    /// The integer range of a quantized type.
    static func range(of type: TensorType) -> (min: Int32, max: Int32)? {
        switch type {
        case .int8: (-128, 127)
        case .uint8: (0, 255)
        case .int16: (-32768, 32767)
        default: nil
        }
    }

    /// The clamp range of a quantized output with a fused activation.
    static func quantizedRange(_ activation: FusedActivation, output: RuntimeTensor, node: Node) throws(InterpreterError) -> (min: Int32, max: Int32) {
        guard let range = range(of: output.type) else { throw node.unsupported("output type \(output.type)") }
        guard output.scale > 0, output.scale.isFinite else { throw node.invalid("output needs a positive scale") }
        return activation.quantizedRange(scale: output.scale, zeroPoint: output.zeroPoint, qmin: range.min, qmax: range.max)
    }

    /// Per-channel multipliers `input × filter[c] / output` computed in double precision
    /// (`PopulateConvolutionQuantizationParams`).
    static func perChannelMultipliers(input: Float, filters: [Float], output: Float) -> [FixedPoint.Multiplier] {
        filters.map { FixedPoint.Multiplier(Double(input) * Double($0) / Double(output)) }
    }

    /// The legacy per-tensor multiplier whose input × filter product is rounded to float first
    /// (`GetQuantizedConvolutionMultipler`).
    static func legacyMultiplier(input: Float, filter: Float, output: Float) -> FixedPoint.Multiplier {
        FixedPoint.Multiplier(Double(input * filter) / Double(output))
    }

    /// The filter scales, one per output channel (a single scale is repeated), checked positive.
    static func filterScales(_ filter: RuntimeTensor, channels: Int, node: Node) throws(InterpreterError) -> [Float] {
        guard let quantization = filter.quantization, !quantization.scales.isEmpty else {
            throw node.invalid("quantized filter needs a scale")
        }
        let scales = quantization.scales
        guard scales.count == 1 || scales.count == channels else {
            throw node.invalid("filter has \(scales.count) scales for \(channels) output channels")
        }
        guard scales.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw node.invalid("filter scales must be finite and non-negative") }
        return scales.count == channels ? scales : Array(repeating: scales[0], count: channels)
    }

    /// What CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED prepare from: input 0, the filter
    /// (input 1, with its table index for `copiedConstants`) and the output's table index.
    static func operands(_ node: Node, _ tensors: TensorTable) throws(InterpreterError)
        -> (input: RuntimeTensor, filterIndex: Int, filter: RuntimeTensor, outputIndex: Int) {
        let input = tensors[try node.input(0)]
        let filterIndex = try node.input(1)
        return (input, filterIndex, tensors[filterIndex], try node.output(0))
    }

    /// Requires the NHWC input and the filter of a 2-D convolution to be 4-D.
    static func requireFourDimensional(input: RuntimeTensor, filter: RuntimeTensor, _ node: Node) throws(InterpreterError) {
        guard input.shape.count == 4 else { throw node.invalid("input must be 4-D, got shape \(input.shape)") }
        guard filter.shape.count == 4 else { throw node.invalid("filter must be 4-D, got shape \(filter.shape)") }
    }

    /// Zeroed persistent memory for `count` values of `T`.
    static func persistent<T>(_ tensors: TensorTable, _ type: T.Type, count: Int, node: Node) throws(InterpreterError) -> UnsafeMutablePointer<T> {
        let (bytes, overflow) = max(count, 1).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        if overflow { throw node.invalid("scratch size overflows") }
        return try tensors.allocatePersistent(byteCount: bytes).bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// Checks that `tensor` holds at least `count` elements of `T`.
    static func checked<T>(_ tensor: RuntimeTensor, _ type: T.Type, count: Int, node: Node) throws(InterpreterError) -> UnsafeMutablePointer<T> {
        try checked(tensor.buffer(T.self), count: count, node: node, name: tensor.name)
    }

    /// ``checked(_:_:count:node:)`` for tensor `index` of `tensors`, read where it lies (a
    /// tensor of the table passed as an argument is copied, with a retain and release per run).
    static func checked<T>(_ tensors: TensorTable, _ index: Int, _ type: T.Type, count: Int, node: Node) throws(InterpreterError) -> UnsafeMutablePointer<T> {
        try checked(tensors[index].buffer(T.self), count: count, node: node, name: tensors[index].name)
    }

    private static func checked<T>(_ buffer: UnsafeMutableBufferPointer<T>, count: Int, node: Node,
                                   name: @autoclosure () -> String) throws(InterpreterError) -> UnsafeMutablePointer<T> {
        guard let base = buffer.baseAddress, buffer.count >= count else {
            if count == 0, let base = buffer.baseAddress { return base }
            throw node.failure("tensor \(name()) holds \(buffer.count) values, \(count) needed")
        }
        return base
    }

    /// An 8-bit input as the int8 kernels take it, and its zero point: int8 as it is; uint8 less
    /// 128 (one bit flipped) into `staged`, its zero point less 128 (x − zero point unchanged).
    static func int8Input(_ input: RuntimeTensor, mode: ConvMode, count: Int, staged: UnsafeMutablePointer<Int8>?,
                          node: Node) throws(InterpreterError) -> (values: UnsafePointer<Int8>, zeroPoint: Int32) {
        guard mode == .uint8 else { return (UnsafePointer(try checked(input, Int8.self, count: count, node: node)), input.zeroPoint) }
        guard let staged else { throw node.failure("not prepared") }
        tfl_uint8_to_int8(try checked(input, UInt8.self, count: count, node: node), staged, count)
        return (UnsafePointer(staged), input.zeroPoint - 128)
    }

    /// ``int8Input(_:mode:count:staged:node:)`` for tensor `index` of `tensors`, read where it lies.
    static func int8Input(_ tensors: TensorTable, _ index: Int, mode: ConvMode, count: Int, staged: UnsafeMutablePointer<Int8>?,
                          node: Node) throws(InterpreterError) -> (values: UnsafePointer<Int8>, zeroPoint: Int32) {
        let zeroPoint = tensors[index].zeroPoint
        guard mode == .uint8 else { return (UnsafePointer(try checked(tensors, index, Int8.self, count: count, node: node)), zeroPoint) }
        guard let staged else { throw node.failure("not prepared") }
        tfl_uint8_to_int8(try checked(tensors, index, UInt8.self, count: count, node: node), staged, count)
        return (UnsafePointer(staged), zeroPoint - 128)
    }

    /// Multiply-adds below which an operator runs on one thread: handing work to the pool costs
    /// a few microseconds, more than such an operator takes.
    static let parallelWork = 1 << 17

    /// The number of chunks to split `rows` rows into for the pool (1 when `work`, the
    /// operator's multiply-adds, is too small to be worth splitting).
    static func chunks(_ tensors: TensorTable, rows: Int, work: Int = .max) -> Int {
        if work < parallelWork || tensors.pool.threadCount == 1 { return 1 }
        return max(1, min(tensors.pool.threadCount * ThreadPool.piecesPerThread, rows))
    }

    /// Output channels in a share of ``channelShares(_:pixelChunks:channels:work:)``: the packed
    /// GEMM weights' block width, so a share's weights start at a block.
    static let channelBlock = 16

    /// The number of shares to split the output channels into when the pixels do not split
    /// (`pixelChunks` 1: a FULLY_CONNECTED on one row, a convolution with one output pixel); 1
    /// otherwise, or when `work` is too small to be worth splitting.
    static func channelShares(_ tensors: TensorTable, pixelChunks: Int, channels: Int, work: Int) -> Int {
        if pixelChunks > 1 || work < parallelWork || tensors.pool.threadCount == 1 { return 1 }
        return max(1, min(tensors.pool.threadCount * ThreadPool.piecesPerThread, channels / channelBlock))
    }

    /// Runs `body(channels)` over `shares` contiguous ranges of whole ``channelBlock`` blocks
    /// covering `0..<channels`.
    @inline(__always)
    static func forEachChannelShare(_ tensors: TensorTable, channels: Int, shares: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (channels + channelBlock - 1) / channelBlock
        tensors.pool.parallelFor(shares) { range in
            for share in range {
                let start = blocks * share / shares * channelBlock
                let end = min(blocks * (share + 1) / shares * channelBlock, channels)
                if start < end { body(start..<end) }
            }
        }
    }

    /// Bytes in a memory page.
    static let pageBytes = 4096

    /// The stride of `slots` per-thread scratch slots of `count` elements of `T`: whole cache
    /// lines for one slot; whole pages for several, so that each thread's slot has pages of its
    /// own (a core's hardware prefetchers stay within a page: streaming through its own slot, a
    /// core then never pulls in lines another core is writing, which would cost that core an
    /// ownership round trip per line; measured on MobileNetV2's depthwise rows, where the second
    /// thread's rows ran 2× slower when its slot followed the first's within a page).
    static func slotStride<T>(_ count: Int, of type: T.Type, slots: Int) -> Int {
        let lines = cacheLines(count, of: type)
        guard slots > 1 else { return lines }
        let perPage = max(1, pageBytes / MemoryLayout<T>.stride)
        return (lines + perPage - 1) / perPage * perPage
    }

    /// Persistent scratch for `slots` slots of `stride` elements (``slotStride(_:of:slots:)``),
    /// page-aligned when there are several.
    static func slots<T>(_ tensors: TensorTable, _ type: T.Type, stride: Int, slots: Int, node: Node) throws(InterpreterError) -> UnsafeMutablePointer<T> {
        let (count, overflow) = max(slots, 1).multipliedReportingOverflow(by: stride)
        let (bytes, overflow2) = max(count, 1).multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        if overflow || overflow2 { throw node.invalid("scratch size overflows") }
        return try tensors.allocatePersistent(byteCount: bytes, alignment: slots > 1 ? pageBytes : TensorMemory.alignment)
            .bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// `count` elements of `T` rounded up to whole 64-byte cache lines (a per-thread scratch
    /// stride that keeps threads off each other's lines).
    static func cacheLines<T>(_ count: Int, of type: T.Type) -> Int {
        let perLine = max(1, 64 / MemoryLayout<T>.stride)
        return (max(count, 1) + perLine - 1) / perLine * perLine
    }

    /// Runs `body(chunk, rows)` over `chunks` contiguous row ranges; `chunk` indexes a scratch slot.
    @inline(__always)
    static func forEachChunk(_ tensors: TensorTable, rows: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
        if chunks <= 1 {
            if rows > 0 { body(0, 0..<rows) }
            return
        }
        tensors.pool.parallelFor(chunks) { range in
            for chunk in range {
                let start = rows * chunk / chunks
                let end = rows * (chunk + 1) / chunks
                if start < end { body(chunk, start..<end) }
            }
        }
    }
}

/// LiteRT's per-batch input quantization for hybrid (float input, int8 weights) kernels, as its
/// x86 builds run it: `tensor_utils` takes the NEON code there (through NEON_2_SSE), whose
/// arithmetic differs from the portable code in three places kept here. The range's width
/// `max − min` is taken in float32 before the double-precision division; the first count rounded
/// down to a multiple of 8 values round as its vector loop does (see
/// `tfl_quantize_asymmetric_8bit`: ±0.49999997 becomes ±1); the product is rounded before the
/// zero point is added.
enum HybridQuantizer {
    /// Values per block of LiteRT's vector quantization loop (two NEON registers).
    static let vectorBlock = 8

    /// `SymmetricQuantizeFloats`: scale = max|x| / 127, values in [-127, 127]. Returns the scale.
    static func symmetric(_ values: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Int8>) -> Float {
        var low: Float = count > 0 ? values[0] : 0
        var high: Float = low
        tfl_minmax_f32(values, count, &low, &high)
        let range = max(abs(low), abs(high))
        if range == 0 || count == 0 {
            output.update(repeating: 0, count: count)
            return 1
        }
        let inverse: Float = 127 / range
        let vectorEnd = count / vectorBlock * vectorBlock
        for i in 0..<count {
            let product = values[i] * inverse
            let q = i < vectorEnd ? vectorRounded(product) : product.rounded(.toNearestOrAwayFromZero)
            output[i] = q.isNaN ? 0 : Int8(max(-127, min(127, q)))
        }
        return range / 127
    }

    /// LiteRT's vector rounding: `trunc(p ± 0.5)`, the half taking p's sign, added in float32.
    @inline(__always)
    static func vectorRounded(_ product: Float) -> Float {
        (product + (product < 0 ? -0.5 : 0.5)).rounded(.towardZero)
    }

    /// `AsymmetricQuantizeFloats`: the range [min(0, min x), max(0, max x)] onto [-128, 127] with
    /// a nudged zero point; each value is `round(x × (1 / scale)) + zero point` (the float32
    /// product rounded before the zero point is added, as LiteRT does). The scale is
    /// `Double(Float(max − min)) / 255` and its inverse `Float(1 / Double(scale))`, as LiteRT
    /// computes them. Returns (scale, zero point).
    static func asymmetric(_ values: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Int8>) -> (Float, Int32) {
        var low: Float = count > 0 ? values[0] : 0
        var high: Float = low
        tfl_minmax_f32(values, count, &low, &high)
        let floatMin = min(0, low), floatMax = max(0, high)
        if floatMin == floatMax {
            output.update(repeating: 0, count: count)
            return (1, 0)
        }
        let rmin = Double(floatMin)
        let rmax = Double(floatMax)
        let qmin = -128.0, qmax = 127.0
        // The width in float32 first (LiteRT subtracts its float minimum and maximum).
        let scale = Double(floatMax - floatMin) / (qmax - qmin)
        let fromMin = qmin - rmin / scale
        let fromMax = qmax - rmax / scale
        let errorMin = abs(qmin) + abs(rmin / scale)
        let errorMax = abs(qmax) + abs(rmax / scale)
        let zeroPointDouble = errorMin < errorMax ? fromMin : fromMax
        let zeroPoint: Int32
        if zeroPointDouble.isNaN {
            zeroPoint = 0  // an infinite input value: LiteRT's cast is undefined here; ours is not
        } else if zeroPointDouble <= qmin {
            zeroPoint = -128
        } else if zeroPointDouble >= qmax {
            zeroPoint = 127
        } else {
            zeroPoint = Int32(zeroPointDouble.rounded(.toNearestOrAwayFromZero))
        }
        let floatScale = Float(scale)
        // The inverse in double precision, then rounded to float32; 0 for a scale that underflowed.
        let inverse: Float = floatScale == 0 ? 0 : Float(1 / Double(floatScale))
        let offset = Float(zeroPoint)
        tfl_quantize_asymmetric_8bit(values, count, inverse, offset, output)
        return (floatScale, zeroPoint)
    }
}
