import CTFLiteKernels
import TFLiteModel

/// An operator's accumulation loop over output rows, generic over the arithmetic.
protocol ConvLoop: AnyObject {
    /// Accumulates every output pixel of `rows` into `accumulators` (one value per output
    /// channel, zeroed by the loop) and calls `finish(accumulators, batch, pixel)` for it, where
    /// `pixel` is the output pixel's flat index (its channels start at `pixel × channels`).
    func accumulate<M: MultiplyAccumulate>(_ mac: M.Type, input: UnsafePointer<M.Input>, weights: UnsafePointer<M.Weight>,
                                           accumulators: UnsafeMutablePointer<M.Accumulator>, rows: Range<Int>,
                                           finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void)
}

/// The shared plumbing of convolution-like kernels: packs the weights once, stages integer and
/// hybrid inputs, owns per-thread accumulators, splits output rows over the pool and turns the
/// accumulators into outputs with a ``ConvOutputStage``.
final class ConvRunner {
    let node: Node
    let stage: ConvOutputStage
    private(set) var rows = 0
    private(set) var channels = 0
    private var batches = 0
    private var inputCount = 0
    private var chunks = 1
    private var outer = 0, taps = 0, inner = 0
    private var filterIndex = 0
    private var filterIsConstant = false
    private var packedFloat: UnsafeMutablePointer<Float>?
    private var packedInteger: UnsafeMutablePointer<Int16>?
    private var staged: UnsafeMutablePointer<Int32>?
    private var quantizedInput: UnsafeMutablePointer<Int8>?
    private var accumulators: UnsafeMutableRawPointer?

    /// Output pixels a ``ConvLoop`` may accumulate at once; `accumulate` gets room for this many.
    static let pixelsPerBlock = 4

    init(node: Node) {
        self.node = node
        self.stage = ConvOutputStage(node: node)
    }

    var mode: ConvMode { stage.mode }

    /// Allocates packed weights, staging and accumulators; packs constant weights.
    /// `outer × taps × inner` is the filter's layout, packed to `[taps][inner][outer]`.
    func prepare(_ tensors: TensorTable, filterIndex: Int, outer: Int, taps: Int, inner: Int,
                 batches: Int, inputCount: Int, rows: Int, channels: Int) throws(InterpreterError) {
        self.filterIndex = filterIndex
        self.outer = outer
        self.taps = taps
        self.inner = inner
        self.batches = batches
        self.inputCount = inputCount
        self.rows = rows
        self.channels = channels
        let weightCount = outer * taps * inner
        let filter = tensors[filterIndex]
        guard filter.elementCount == weightCount else {
            throw node.invalid("filter has \(filter.elementCount) values, \(weightCount) expected")
        }
        packedFloat = nil
        packedInteger = nil
        staged = nil
        quantizedInput = nil
        switch stage.mode {
        case .float:
            packedFloat = try ConvSupport.persistent(tensors, Float.self, count: weightCount, node: node)
        case .int8, .uint8, .int16:
            packedInteger = try ConvSupport.persistent(tensors, Int16.self, count: weightCount, node: node)
            staged = try ConvSupport.persistent(tensors, Int32.self, count: inputCount, node: node)
        case .hybrid:
            packedInteger = try ConvSupport.persistent(tensors, Int16.self, count: weightCount, node: node)
            staged = try ConvSupport.persistent(tensors, Int32.self, count: inputCount, node: node)
            quantizedInput = try ConvSupport.persistent(tensors, Int8.self, count: inputCount, node: node)
        }
        chunks = ConvSupport.chunks(tensors, rows: rows, work: weightCount &* max(1, rows))
        // Per chunk: room for four output pixels (``ConvLoop``s may accumulate four at once).
        accumulators = try tensors.allocatePersistent(byteCount: max(1, chunks * channels * 8 * ConvRunner.pixelsPerBlock))
        filterIsConstant = filter.isConstant
        if filterIsConstant {
            try WeightPacking.pack(filter, mode: stage.mode, outer: outer, taps: taps, inner: inner,
                                   float: packedFloat, integer: packedInteger, node: node)
        }
    }

    /// Runs `loop` and writes the output tensor.
    func run<L: ConvLoop>(_ loop: L, _ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor) throws(InterpreterError) {
        if !filterIsConstant {
            try WeightPacking.pack(tensors[filterIndex], mode: stage.mode, outer: outer, taps: taps, inner: inner,
                                   float: packedFloat, integer: packedInteger, node: node)
        }
        guard let accumulators else { throw node.failure("not prepared") }
        let outputCount = rows == 0 ? 0 : output.elementCount
        let bias = try stage.biasPointers(tensors)
        let stage = self.stage
        let channels = self.channels
        let chunks = self.chunks
        switch stage.mode {
        case .float:
            guard let weights = packedFloat else { throw node.failure("not prepared") }
            let x = UnsafePointer(try ConvSupport.checked(input, Float.self, count: inputCount, node: node))
            let y = try ConvSupport.checked(output, Float.self, count: outputCount, node: node)
            let acc = accumulators.bindMemory(to: Float.self, capacity: chunks * channels * ConvRunner.pixelsPerBlock)
            ConvSupport.forEachChunk(tensors, rows: rows, chunks: chunks) { chunk, range in
                loop.accumulate(FloatMAC.self, input: x, weights: weights, accumulators: acc + chunk * channels * ConvRunner.pixelsPerBlock, rows: range) { a, _, pixel in
                    stage.finishFloat(a, bias: bias.float, channelStart: 0, count: channels, output: y + pixel * channels)
                }
            }
        case .int8, .uint8:
            guard let weights = packedInteger, let staged else { throw node.failure("not prepared") }
            let offset = stage.inputOffset(input)
            if stage.mode == .int8 {
                stageInput(try ConvSupport.checked(input, Int8.self, count: inputCount, node: node), count: inputCount, offset: offset, into: staged)
            } else {
                stageInput(try ConvSupport.checked(input, UInt8.self, count: inputCount, node: node), count: inputCount, offset: offset, into: staged)
            }
            let acc = accumulators.bindMemory(to: Int32.self, capacity: chunks * channels * ConvRunner.pixelsPerBlock)
            let raw = try ConvSupport.checked(output, UInt8.self, count: outputCount, node: node)
            let bias32 = bias.int32
            let halfUpElements = stage.halfUpElements
            try stage.withRequantization { (requantization) throws(InterpreterError) in
                guard let requantization else { throw node.failure("not prepared") }
                ConvSupport.forEachChunk(tensors, rows: rows, chunks: chunks) { chunk, range in
                    loop.accumulate(Int32MAC.self, input: staged, weights: weights, accumulators: acc + chunk * channels * ConvRunner.pixelsPerBlock, rows: range) { a, _, pixel in
                        let output = UnsafeMutableRawPointer(raw + pixel * channels)
                        if halfUpElements > 0 {
                            let halfUp = min(max(halfUpElements - pixel * channels, 0), channels)
                            requantization.finish(a, bias: bias32, count: channels, halfUpChannels: halfUp, output: output)
                        } else {
                            requantization.finish(a, bias: bias32, count: channels, output: output)
                        }
                    }
                }
            }
        case .int16:
            guard let weights = packedInteger, let staged else { throw node.failure("not prepared") }
            stageInput(try ConvSupport.checked(input, Int16.self, count: inputCount, node: node), count: inputCount, offset: 0, into: staged)
            let acc = accumulators.bindMemory(to: Int64.self, capacity: chunks * channels * ConvRunner.pixelsPerBlock)
            let y = try ConvSupport.checked(output, Int16.self, count: outputCount, node: node)
            try stage.withRequantization16(bias64: bias.int64, bias32: bias.int32) { requantization in
                ConvSupport.forEachChunk(tensors, rows: rows, chunks: chunks) { chunk, range in
                    loop.accumulate(Int64MAC.self, input: staged, weights: weights, accumulators: acc + chunk * channels * ConvRunner.pixelsPerBlock, rows: range) { a, _, pixel in
                        if let requantization {
                            requantization.finish(a, accStride: channels, rows: 1, channels: 0..<channels, outputStride: channels,
                                                  output: y + pixel * channels)
                        } else {
                            stage.finishQuantized16(a, bias64: bias.int64, bias32: bias.int32, channelStart: 0, count: channels, output: y + pixel * channels)
                        }
                    }
                }
            }
        case .hybrid:
            guard let weights = packedInteger, let staged, let quantizedInput else { throw node.failure("not prepared") }
            let x = try ConvSupport.checked(input, Float.self, count: inputCount, node: node)
            let batchSize = batches > 0 ? inputCount / batches : 0
            stage.stageHybrid(x, batches: batches, batchSize: batchSize, quantized: quantizedInput, staged: staged)
            let acc = accumulators.bindMemory(to: Int32.self, capacity: chunks * channels * ConvRunner.pixelsPerBlock)
            let y = try ConvSupport.checked(output, Float.self, count: outputCount, node: node)
            let floatBias = bias.float
            try stage.withHybridScaling { (scaling) throws(InterpreterError) in
                guard let scaling else { throw node.failure("not prepared") }
                ConvSupport.forEachChunk(tensors, rows: rows, chunks: chunks) { chunk, range in
                    loop.accumulate(Int32MAC.self, input: staged, weights: weights, accumulators: acc + chunk * channels * ConvRunner.pixelsPerBlock, rows: range) { a, batch, pixel in
                        scaling.finish(a, columnSums: nil, offset: 0, bias: floatBias, count: channels, batch: batch, output: y + pixel * channels)
                    }
                }
            }
        }
    }
}
