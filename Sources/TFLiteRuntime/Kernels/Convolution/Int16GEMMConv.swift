import CTFLiteKernels
import TFLiteModel

/// int16×8 CONV_2D and FULLY_CONNECTED (int16 activations, int8 weights) as a GEMM
/// (`tfl_gemm_s16`: vpdpwssd, vpmaddwd or smlal over int16 pairs): exact int64 sums Σ x·w from
/// the int16 input as it is and weights packed once, then LiteRT's 64-bit requantization
/// (`tfl_requantize_s16_rows`; FULLY_CONNECTED's 32-bit multiplier stays in Swift). The input and
/// output zero points are 0, so padding taps read 0. Outputs are LiteRT's reference numbers.
///
/// Output pixels go in blocks of ``ConvPatches`` (im2col unless the convolution is pointwise),
/// split over the pool by groups of pixels.
final class Int16GEMMConv {
    private let node: Node
    private var geometry = ConvGeometry()
    private var patchLayout = ConvPatches<Int16>(geometry: ConvGeometry())
    private var depth = 0
    private var paddedChannels = 0
    private var chunks = 1
    private var filterIndex = 0
    private var filterIsConstant = false
    private var packed: UnsafeMutablePointer<Int16>?
    private var patches: UnsafeMutablePointer<Int16>?
    /// Per batch: the value padding taps read (0, the int16 zero point).
    private var padValues: UnsafeMutablePointer<Int16>?
    private var accumulators: UnsafeMutablePointer<Int64>?
    /// Int64 values between two threads' accumulator blocks.
    private var accumulatorStride = 0

    init(node: Node) { self.node = node }

    /// Allocates packed weights and scratch for `geometry`; packs a constant filter
    /// (`[outputDepth][filterHeight][filterWidth][inputDepth]` int8).
    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int) throws(InterpreterError) {
        geometry = g
        self.filterIndex = filterIndex
        patchLayout = ConvPatches(geometry: g)
        depth = patchLayout.depth
        let channels = g.outputDepth
        paddedChannels = (channels + 15) / 16 * 16
        let filter = tensors[filterIndex]
        guard filter.elementCount == channels * depth else {
            throw node.invalid("filter has \(filter.elementCount) values, \(channels * depth) expected")
        }
        packed = try ConvSupport.persistent(tensors, Int16.self, count: tfl_gemm_s16_packed_count(depth, channels), node: node)
        padValues = try ConvSupport.persistent(tensors, Int16.self, count: max(1, g.batches), node: node)
        padValues?.update(repeating: 0, count: max(1, g.batches))
        chunks = ConvSupport.chunks(tensors, rows: patchLayout.pixelGroups, work: g.outputCount * g.taps * g.inputDepth)
        patches = try patchLayout.scratch(tensors, chunks: chunks, node: node)
        accumulatorStride = ConvSupport.slotStride(ConvPatches<Int16>.blockPixels * paddedChannels, of: Int64.self, slots: chunks)
        accumulators = try ConvSupport.slots(tensors, Int64.self, stride: accumulatorStride, slots: chunks, node: node)
        filterIsConstant = filter.isConstant
        if filterIsConstant { try pack(tensors) }
    }

    private func pack(_ tensors: TensorTable) throws(InterpreterError) {
        guard let packed else { throw node.failure("not prepared") }
        let channels = geometry.outputDepth
        let weights = try ConvSupport.checked(tensors[filterIndex], Int8.self, count: channels * depth, node: node)
        tfl_gemm_s16_pack(weights, channels, depth, packed)
    }

    /// Computes the int16 output.
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        if !filterIsConstant { try pack(tensors) }
        guard let packed, let accumulators, let padValues else { throw node.failure("not prepared") }
        let g = geometry
        let channels = g.outputDepth, depth = self.depth, paddedChannels = self.paddedChannels
        let accumulatorStride = self.accumulatorStride
        let bias = try stage.biasPointers(tensors)
        let x = UnsafePointer(try ConvSupport.checked(input, Int16.self, count: g.inputCount, node: node))
        let y = try ConvSupport.checked(output, Int16.self, count: g.outputCount, node: node)
        let weights = UnsafePointer(packed)
        try stage.withRequantization16(bias64: bias.int64, bias32: bias.int32) { requantization in
            patchLayout.forEachBlock(tensors, chunks: chunks, source: x, padding: padValues, scratch: patches) { chunk, first, count, rows in
                let acc = accumulators + chunk * accumulatorStride
                tfl_gemm_s16(acc, paddedChannels, rows, depth, count, weights, depth, channels)
                if let requantization {
                    requantization.finish(acc, accStride: paddedChannels, rows: count, channels: 0..<channels, outputStride: channels,
                                          output: y + first * channels)
                } else {
                    for p in 0..<count {
                        stage.finishQuantized16(acc + p * paddedChannels, bias64: bias.int64, bias32: bias.int32, channelStart: 0,
                                                count: channels, output: y + (first + p) * channels)
                    }
                }
            }
        }
    }
}
