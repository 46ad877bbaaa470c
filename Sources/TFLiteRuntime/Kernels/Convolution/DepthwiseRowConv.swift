import CTFLiteKernels
import TFLiteModel

/// DEPTHWISE_CONV_2D with depth multiplier 1 (the common case) one output row per C call
/// (`tfl_depthwise_row_f32` / `tfl_depthwise_row_s8_pairs`): float filters read in place
/// (`[1][kh][kw][channels]` is already the layout the kernel wants), int8 filters packed once with
/// their taps paired for vpmaddwd, float bias and clamp fused. int8 sums are requantized per pixel; hybrid inputs are quantized per batch first and
/// their sums scaled back to float, as LiteRT's per-channel hybrid kernel does. uint8 runs the int8
/// kernels with 128 taken off inputs and weights (x − zx and w − zw unchanged), the kernels
/// taking the weights' shifted zero point.
final class DepthwiseRowConv {
    private let node: Node
    private var geometry = ConvGeometry()
    private var rowGeometry = tfl_depthwise_geometry()
    private var chunks = 1
    private var filterIndex = 0
    /// Per chunk: one output row of int32 sums (int8 and hybrid).
    private var sums: UnsafeMutablePointer<Int32>?
    /// Hybrid: the float input quantized per batch; uint8: the input less 128, as int8.
    private var staged: UnsafeMutablePointer<Int8>?
    /// uint8: the filter less 128, as int8, and its zero point less 128 (0 otherwise).
    private var shiftedWeights: UnsafeMutablePointer<Int8>?
    private var weightZero: Int32 = 0
    /// int8, uint8 and hybrid: the filter's taps paired for `tfl_depthwise_row_s8_pairs`, and per chunk
    /// a row of zero-point bytes and a table of tap pointers.
    private var pairedWeights: UnsafeMutablePointer<Int16>?
    private var padRows: UnsafeMutablePointer<Int8>?
    private var tapSources: UnsafeMutablePointer<UnsafePointer<Int8>?>?
    private var filterIsConstant = false
    /// A grouped CONV_2D's filter, `[channels][kh][kw][1]`, and its copy in the depthwise
    /// `[kh][kw][channels]` order the kernels read (made at prepare when constant).
    private var filterIsChannelMajor = false
    private var transposedFilter: UnsafeMutableRawPointer?
    private var transposedIsCurrent = false

    init(node: Node) { self.node = node }

    // Per-chunk scratch strides (ConvSupport.slotStride: pages of their own with several
    // chunks): the kernel rewrites its sums, pad row and tap table for every output row.
    private var sumsStride: Int { ConvSupport.slotStride(geometry.outputWidth * geometry.outputDepth, of: Int32.self, slots: chunks) }
    private var padStride: Int { ConvSupport.slotStride(geometry.outputDepth, of: Int8.self, slots: chunks) }
    private var sourcesStride: Int { ConvSupport.slotStride(geometry.taps + 1, of: UnsafePointer<Int8>?.self, slots: chunks) }

    /// Whether the row kernels take this depthwise convolution.
    static func handles(mode: ConvMode, multiplier: Int, filter: RuntimeTensor) -> Bool {
        guard multiplier == 1 else { return false }
        switch mode {
        case .float: return filter.type == .float32
        case .int8, .hybrid: return filter.type == .int8
        case .uint8: return filter.type == .uint8
        case .int16: return false
        }
    }

    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int, mode: ConvMode,
                 filterIsChannelMajor: Bool = false) throws(InterpreterError) {
        geometry = g
        self.filterIndex = filterIndex
        self.filterIsChannelMajor = filterIsChannelMajor
        transposedIsCurrent = false
        filterIsConstant = tensors[filterIndex].isConstant
        let width = tensors[filterIndex].type.byteWidth ?? 1
        transposedFilter = filterIsChannelMajor ? try tensors.allocatePersistent(byteCount: max(1, g.taps * g.outputDepth * width)) : nil
        if filterIsChannelMajor, filterIsConstant, mode == .float { _ = try filterValues(tensors, Float.self) }
        guard tensors[filterIndex].elementCount == g.taps * g.outputDepth, g.inputDepth == g.outputDepth else {
            throw node.invalid("filter has \(tensors[filterIndex].elementCount) values, \(g.taps * g.outputDepth) expected")
        }
        rowGeometry = tfl_depthwise_geometry(in_h: g.inputHeight, in_w: g.inputWidth, channels: g.outputDepth,
                                             filter_h: g.filterHeight, filter_w: g.filterWidth, stride_w: g.strideWidth,
                                             dilation_h: g.dilationHeight, dilation_w: g.dilationWidth, pad_w: g.paddingWidth,
                                             out_w: g.outputWidth)
        chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight, work: g.outputCount * g.taps)
        sums = mode == .float ? nil : try ConvSupport.slots(tensors, Int32.self, stride: sumsStride, slots: chunks, node: node)
        let hybrid = if case .hybrid = mode { true } else { false }
        staged = hybrid || mode == .uint8 ? try ConvSupport.persistent(tensors, Int8.self, count: g.inputCount, node: node) : nil
        shiftedWeights = mode == .uint8 ? try ConvSupport.persistent(tensors, Int8.self, count: g.taps * g.outputDepth, node: node) : nil
        weightZero = mode == .uint8 ? tensors[filterIndex].zeroPoint - 128 : 0
        pairedWeights = nil
        padRows = nil
        tapSources = nil
        if mode != .float {
            pairedWeights = try ConvSupport.persistent(tensors, Int16.self, count: tfl_depthwise_s8_packed_count(g.taps, g.outputDepth), node: node)
            padRows = try ConvSupport.slots(tensors, Int8.self, stride: padStride, slots: chunks, node: node)
            tapSources = try ConvSupport.slots(tensors, UnsafePointer<Int8>?.self, stride: sourcesStride, slots: chunks, node: node)
            if filterIsConstant { try packPairs(tensors) }
        }
    }

    /// The filter in `[kh][kw][channels]` order: the tensor itself, or its transposed copy
    /// (redone when the filter is not constant).
    private func filterValues<T>(_ tensors: TensorTable, _ type: T.Type) throws(InterpreterError) -> UnsafePointer<T> {
        let taps = geometry.taps, channels = geometry.outputDepth
        let source = try ConvSupport.checked(tensors[filterIndex], T.self, count: taps * channels, node: node)
        guard filterIsChannelMajor else { return UnsafePointer(source) }
        guard let transposedFilter else { throw node.failure("not prepared") }
        let target = transposedFilter.assumingMemoryBound(to: T.self)
        if !(transposedIsCurrent && filterIsConstant) {
            for c in 0..<channels {
                for t in 0..<taps { target[t * channels + c] = source[c * taps + t] }
            }
            transposedIsCurrent = true
        }
        return UnsafePointer(target)
    }

    private func packPairs(_ tensors: TensorTable) throws(InterpreterError) {
        guard let pairedWeights else { throw node.failure("not prepared") }
        tfl_depthwise_s8_pack(try int8Weights(tensors), geometry.taps, geometry.outputDepth, pairedWeights, weightZero)
    }

    /// The filter as the int8 kernels read it: as it is, or (uint8) less 128 into `shiftedWeights`.
    private func int8Weights(_ tensors: TensorTable) throws(InterpreterError) -> UnsafePointer<Int8> {
        let count = geometry.taps * geometry.outputDepth
        guard let shiftedWeights else { return try filterValues(tensors, Int8.self) }
        tfl_uint8_to_int8(try filterValues(tensors, UInt8.self), shiftedWeights, count)
        return UnsafePointer(shiftedWeights)
    }

    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        let g = geometry
        let rowGeometry = self.rowGeometry
        let channels = g.outputDepth
        let imageCount = g.inputHeight * g.inputWidth * channels
        let rowCount = g.outputWidth * channels
        let bias = try stage.biasPointers(tensors)
        let rows = g.batches * g.outputHeight
        switch stage.mode {
        case .float:
            let x = UnsafePointer(try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node))
            let w = try filterValues(tensors, Float.self)
            let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
            let low = stage.floatMin, high = stage.floatMax
            let floatBias = bias.float
            ConvSupport.forEachChunk(tensors, rows: rows, chunks: chunks) { _, range in
                var shape = rowGeometry
                for row in range {
                    let originY = (row % g.outputHeight) * g.strideHeight - g.paddingHeight
                    tfl_depthwise_row_f32(y + row * rowCount, x + (row / g.outputHeight) * imageCount, &shape, originY, w, floatBias, low, high)
                }
            }
        case .int8, .uint8:
            let (x, zeroPoint) = try ConvSupport.int8Input(input, mode: stage.mode, count: g.inputCount, staged: staged, node: node)
            let y = try ConvSupport.checked(output, UInt8.self, count: g.outputCount, node: node)
            let bias32 = bias.int32
            try stage.withRequantization { (requantization) throws(InterpreterError) in
                guard let requantization else { throw node.failure("not prepared") }
                try sumRows(tensors, source: x, zeroPoint: { _ in zeroPoint }) { acc, row, _ in
                    requantization.finish(acc, accStride: channels, rows: g.outputWidth, bias: bias32, count: channels,
                                          output: UnsafeMutableRawPointer(y + row * rowCount))
                }
            }
        case .hybrid:
            guard let quantized = staged, let batchOffsets = stage.batchOffsets else { throw node.failure("not prepared") }
            let x = try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node)
            stage.quantizeHybrid(x, batches: g.batches, batchSize: imageCount, into: quantized)
            let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
            let floatBias = bias.float
            try stage.withHybridScaling { (scaling) throws(InterpreterError) in
                guard let scaling else { throw node.failure("not prepared") }
                try sumRows(tensors, source: UnsafePointer(quantized), zeroPoint: { batchOffsets[$0] }) { acc, row, batch in
                    for ox in 0..<g.outputWidth {
                        scaling.finish(acc + ox * channels, columnSums: nil, offset: 0, bias: floatBias, count: channels, batch: batch,
                                       output: y + row * rowCount + ox * channels)
                    }
                }
            }
        case .int16:
            throw node.failure("the row kernels take float32, int8, uint8 and hybrid depthwise convolutions only")
        }
    }

    /// The int8 sums Σ (x − zero point)·w of every output row (split over the pool), each row
    /// handed to `finish(sums, row, batch)` before the next overwrites the chunk's scratch.
    private func sumRows(_ tensors: TensorTable, source: UnsafePointer<Int8>, zeroPoint: (Int) -> Int32,
                         finish: (UnsafeMutablePointer<Int32>, Int, Int) -> Void) throws(InterpreterError) {
        guard let sums, let pairedWeights, let padRows, let tapSources else { throw node.failure("not prepared") }
        if !filterIsConstant { try packPairs(tensors) }
        let g = geometry
        let rowGeometry = self.rowGeometry
        let channels = g.outputDepth
        let imageCount = g.inputHeight * g.inputWidth * channels
        let pairs = UnsafePointer(pairedWeights)
        // uint8: the shifted copy packPairs wrote.
        let w: UnsafePointer<Int8>
        if let shiftedWeights {
            w = UnsafePointer(shiftedWeights)
        } else {
            w = try filterValues(tensors, Int8.self)
        }
        let weightZero = self.weightZero
        let sumsStride = self.sumsStride, padStride = self.padStride, sourcesStride = self.sourcesStride
        ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { chunk, range in
            var shape = rowGeometry
            let acc = sums + chunk * sumsStride
            let padRow = padRows + chunk * padStride, sources = tapSources + chunk * sourcesStride
            for row in range {
                let batch = row / g.outputHeight
                let originY = (row % g.outputHeight) * g.strideHeight - g.paddingHeight
                tfl_depthwise_row_s8_pairs(acc, source + batch * imageCount, zeroPoint(batch), &shape, originY, w, pairs, weightZero, padRow, sources)
                finish(acc, row, batch)
            }
        }
    }
}
