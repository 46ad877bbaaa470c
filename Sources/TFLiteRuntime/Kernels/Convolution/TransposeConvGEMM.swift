import CTFLiteKernels
import TFLiteModel

/// Hybrid TRANSPOSE_CONV (float input, int8 weights) as an 8-bit GEMM and a scatter, on CPUs
/// where `tfl_gemm_s8` runs vector code.
///
/// The input, quantized per batch as ``ConvRunner`` does it, times the filter read as
/// `[taps × outputDepth][inputDepth]` (rows reordered tap-major at prepare) gives, for each input
/// pixel, every tap's contribution to every output channel: one GEMM per input row
/// (`tfl_gemm_s8`, exact int32 Σ q·w), with the batch's zero-point term `offset × Σw` taken off
/// per tap. Each input row's columns are then added into the output rows they reach (output
/// `y = iy × stride − padding + ky`), kept in a ring of `filterHeight` int32 rows; an output row
/// is complete once the input rows that reach it are done, and goes through the same float stage
/// as the gather loop (``ConvOutputStage/HybridScaling``). Integer sums are exact in any order, so
/// the outputs are bit-identical to ``TransposeConvKernel``'s loops. Output rows split over the
/// pool; an input row that reaches two threads' rows is multiplied by both.
final class TransposeConvGEMM {
    /// Whether this CPU runs the 8-bit GEMM in vector code (else the gather loops are faster).
    static var isAvailable: Bool { DotProductConv.isAvailable }

    private let node: Node
    private var geometry = ConvGeometry()
    /// GEMM columns per input pixel: taps × output channels, and that padded to 16.
    private var columns = 0
    private var paddedColumns = 0
    private var format = Int32(TFL_GEMM_S8_QUADS)
    private var chunks = 1
    private var filterIndex = 0
    private var filterIsConstant = false
    private var packed: UnsafeMutablePointer<UInt8>?
    /// Σw over the input channels for each column.
    private var columnSums: UnsafeMutablePointer<Int32>?
    /// Per batch and column: the batch's zero point × the column's Σw (refilled on every run).
    private var offsetSums: UnsafeMutablePointer<Int32>?
    private var quantized: UnsafeMutablePointer<Int8>?
    /// Per chunk: one input row's columns, then the ring of output rows.
    private var scratch: UnsafeMutablePointer<Int32>?
    private var scratchStride = 0

    init(node: Node) { self.node = node }

    /// Whether the GEMM route takes a convolution of `geometry` (every extent positive).
    static func suits(_ g: ConvGeometry) -> Bool {
        isAvailable && g.batches > 0 && g.inputHeight > 0 && g.inputWidth > 0 && g.inputDepth > 0 && g.outputHeight > 0
            && g.outputWidth > 0 && g.outputDepth > 0 && g.taps > 0
    }

    /// Allocates the packed weights and scratch; packs a constant filter (OHWI int8).
    func prepare(_ tensors: TensorTable, geometry g: ConvGeometry, filterIndex: Int) throws(InterpreterError) {
        geometry = g
        self.filterIndex = filterIndex
        let (columns, overflow) = g.taps.multipliedReportingOverflow(by: g.outputDepth)
        guard !overflow, columns < 1 << 30 else { throw node.invalid("filter is too large") }
        self.columns = columns
        paddedColumns = (columns + 15) / 16 * 16
        let filter = tensors[filterIndex]
        guard filter.elementCount == columns * g.inputDepth else {
            throw node.invalid("filter has \(filter.elementCount) values, \(columns * g.inputDepth) expected")
        }
        // The GEMM multiplies every input value by every column (the gather loops' count is
        // per output pixel, which a small output_shape keeps small).
        try tensors.checkWork(g.inputCount, paddedColumns, node: node)
        try tensors.checkWork(g.filterHeight, g.outputWidth, g.outputDepth, node: node)
        format = tfl_gemm_s8_format()
        packed = try ConvSupport.persistent(tensors, UInt8.self, count: tfl_gemm_s8_packed_size(g.inputDepth, columns, format), node: node)
        columnSums = try ConvSupport.persistent(tensors, Int32.self, count: columns, node: node)
        offsetSums = try ConvSupport.persistent(tensors, Int32.self, count: g.batches * columns, node: node)
        quantized = try ConvSupport.persistent(tensors, Int8.self, count: g.inputCount, node: node)
        chunks = ConvSupport.chunks(tensors, rows: g.batches * g.outputHeight, work: g.inputCount * columns)
        scratchStride = ConvSupport.slotStride(g.inputWidth * paddedColumns + g.filterHeight * g.outputWidth * g.outputDepth,
                                               of: Int32.self, slots: chunks)
        scratch = try ConvSupport.slots(tensors, Int32.self, stride: scratchStride, slots: chunks, node: node)
        filterIsConstant = filter.isConstant
        if filterIsConstant { try pack(tensors) }
    }

    /// Packs the filter's rows in `[tap][output channel]` order for `tfl_gemm_s8`.
    private func pack(_ tensors: TensorTable) throws(InterpreterError) {
        guard let packed, let columnSums else { throw node.failure("not prepared") }
        let g = geometry
        let depth = g.inputDepth, taps = g.taps, channels = g.outputDepth
        let filter = try ConvSupport.checked(tensors[filterIndex], Int8.self, count: columns * depth, node: node)
        var rows = [Int8](repeating: 0, count: columns * depth)
        rows.withUnsafeMutableBufferPointer { target in
            guard let target = target.baseAddress else { return }
            for channel in 0..<channels {
                for tap in 0..<taps {
                    (target + (tap * channels + channel) * depth).update(from: filter + (channel * taps + tap) * depth, count: depth)
                }
            }
        }
        tfl_gemm_s8_pack(rows, columns, depth, packed, columnSums, format, 0)
    }

    /// Computes the float output: the input quantized per batch by `stage`, the sums scaled back
    /// by it.
    func run(_ tensors: TensorTable, input: RuntimeTensor, output: RuntimeTensor, stage: ConvOutputStage) throws(InterpreterError) {
        if !filterIsConstant { try pack(tensors) }
        guard let packed, let columnSums, let offsetSums, let quantized, let scratch, let batchOffsets = stage.batchOffsets else {
            throw node.failure("not prepared")
        }
        let g = geometry
        let x = try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node)
        stage.quantizeHybrid(x, batches: g.batches, batchSize: g.inputCount / g.batches, into: quantized)
        for b in 0..<g.batches {
            let offset = batchOffsets[b]
            for j in 0..<columns { offsetSums[b * columns + j] = offset &* columnSums[j] }
        }
        let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
        let bias = try stage.biasPointers(tensors).float
        let chunks = self.chunks, scratchStride = self.scratchStride
        let pass = Pass(geometry: g, columns: columns, paddedColumns: paddedColumns, format: format, weights: UnsafePointer(packed),
                        offsetSums: UnsafePointer(offsetSums), input: UnsafePointer(quantized), output: y, bias: bias)
        try stage.withHybridScaling { (scaling) throws(InterpreterError) in
            guard let scaling else { throw node.failure("not prepared") }
            ConvSupport.forEachChunk(tensors, rows: g.batches * g.outputHeight, chunks: chunks) { chunk, rows in
                pass.run(rows: rows, scratch: scratch + chunk * scratchStride, scaling: scaling)
            }
        }
    }

    /// One run's operands as plain values and pointers (no reference counting in the per-chunk
    /// closures of a multi-threaded run).
    private struct Pass {
        let geometry: ConvGeometry
        let columns: Int
        let paddedColumns: Int
        let format: Int32
        let weights: UnsafePointer<UInt8>
        let offsetSums: UnsafePointer<Int32>
        let input: UnsafePointer<Int8>
        let output: UnsafeMutablePointer<Float>
        let bias: UnsafePointer<Float>?

        /// Output rows `rows` (batch-major) using `scratch`: the columns of one input row, then
        /// a ring of `filterHeight` output rows (all zero between calls).
        func run(rows: Range<Int>, scratch: UnsafeMutablePointer<Int32>, scaling: ConvOutputStage.HybridScaling) {
            let g = geometry
            let rowValues = g.outputWidth * g.outputDepth
            let ring = scratch + g.inputWidth * paddedColumns
            ring.update(repeating: 0, count: g.filterHeight * rowValues)
            var row = rows.lowerBound
            while row < rows.upperBound {
                let batch = row / g.outputHeight
                let first = row - batch * g.outputHeight
                let end = min(rows.upperBound - batch * g.outputHeight, g.outputHeight)
                runBatch(batch, outputRows: first..<end, columns: scratch, ring: ring, scaling: scaling)
                row = batch * g.outputHeight + end
            }
        }

        private func runBatch(_ batch: Int, outputRows: Range<Int>, columns buffer: UnsafeMutablePointer<Int32>,
                              ring: UnsafeMutablePointer<Int32>, scaling: ConvOutputStage.HybridScaling) {
            let g = geometry
            let s = g.strideHeight, pad = g.paddingHeight, kh = g.filterHeight
            let channels = g.outputDepth
            let rowValues = g.outputWidth * channels
            // The input rows that reach these output rows: iy × s − pad + ky within them.
            let low = outputRows.lowerBound + pad - kh + 1
            let firstInput = low <= 0 ? 0 : (low + s - 1) / s
            let high = outputRows.upperBound - 1 + pad
            let lastInput = high < 0 ? -1 : min(g.inputHeight - 1, high / s)
            let batchInput = input + batch * g.inputHeight * g.inputWidth * g.inputDepth
            let batchOutput = output + batch * g.outputHeight * rowValues
            let offsets = offsetSums + batch * columns
            var next = outputRows.lowerBound
            // Writes output row `next` from its ring row and clears the ring row.
            func finishRow() {
                let sums = ring + next % kh * rowValues
                scaling.finish(sums, accStride: channels, rows: g.outputWidth, columnSums: nil, offset: 0, bias: bias, channels: 0..<channels,
                               batch: batch, output: batchOutput + next * rowValues, outputStride: channels)
                sums.update(repeating: 0, count: rowValues)
                next += 1
            }
            if firstInput <= lastInput {
                for inY in firstInput...lastInput {
                    let top = inY * s - pad
                    // Rows above `top` get nothing from this input row or later ones.
                    while next < min(top, outputRows.upperBound) { finishRow() }
                    tfl_gemm_s8(buffer, paddedColumns, batchInput + inY * g.inputWidth * g.inputDepth, g.inputDepth, g.inputWidth,
                                weights, g.inputDepth, columns, format, 0)
                    for ky in 0..<kh {
                        let outY = top + ky
                        if outY < outputRows.lowerBound || outY >= outputRows.upperBound { continue }
                        scatter(buffer, filterRow: ky, into: ring + outY % kh * rowValues, offsets: offsets)
                    }
                }
            }
            while next < outputRows.upperBound { finishRow() }
        }

        /// Adds filter row `ky`'s columns of every input pixel in `buffer` (less the zero-point
        /// term) into the output row `sums`.
        @inline(__always)
        private func scatter(_ buffer: UnsafePointer<Int32>, filterRow ky: Int, into sums: UnsafeMutablePointer<Int32>,
                             offsets: UnsafePointer<Int32>) {
            let g = geometry
            let channels = g.outputDepth
            for inX in 0..<g.inputWidth {
                let pixel = buffer + inX * paddedColumns
                let left = inX * g.strideWidth - g.paddingWidth
                for kx in 0..<g.filterWidth {
                    let outX = left + kx
                    if outX < 0 || outX >= g.outputWidth { continue }
                    let column = (ky * g.filterWidth + kx) * channels
                    let source = pixel + column, offset = offsets + column
                    let target = sums + outX * channels
                    for c in 0..<channels { target[c] = target[c] &+ (source[c] &- offset[c]) }
                }
            }
        }
    }
}
