import TFLiteModel

/// DEPTHWISE_CONV_2D on NHWC tensors with `[1, kh, kw, in × multiplier]` filters: output channel
/// `c × multiplier + m` reads input channel `c`. Strides, dilation, SAME/VALID padding, fused
/// activation, optional bias; the depth multiplier comes from the shapes.
///
/// Types as CONV_2D (see ``ConvMode``); hybrid always takes LiteRT's per-channel path
/// (asymmetric per-batch input quantization, per-channel weight scales).
final class DepthwiseConv2DKernel: Kernel, ConvLoop {
    private let node: Node
    private let window: ConvWindow
    private var geometry = ConvGeometry()
    private var multiplier = 1
    private let runner: ConvRunner
    /// Depth multiplier 1 in float32, int8 or hybrid: whole output rows per C call.
    private var rowConv: DepthwiseRowConv?
    private var filterIndex = -1
    private var packsFilter = false

    /// The int8/hybrid row kernels and the generic path pack a constant filter; the float row
    /// kernel reads it in place.
    var copiedConstants: [Int] { packsFilter && filterIndex >= 0 ? [filterIndex] : [] }

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...3, outputs: 1...1)
        self.node = node
        // depth_multiplier is redundant with the shapes and not read.
        window = try ConvWindow(node.options(expecting: DepthwiseConv2DOptions.self), node)
        runner = ConvRunner(node: node)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let (input, filterIndex, filter, outputIndex) = try ConvSupport.operands(node, tensors)
        self.filterIndex = filterIndex
        try ConvSupport.requireFourDimensional(input: input, filter: filter, node)
        guard filter.shape[0] == 1, input.shape[3] > 0, filter.shape[3] % input.shape[3] == 0, filter.shape[3] > 0 else {
            throw node.invalid("filter shape \(filter.shape) does not fit input depth \(input.shape[3])")
        }
        var g = ConvGeometry()
        g.batches = input.shape[0]
        g.inputHeight = input.shape[1]
        g.inputWidth = input.shape[2]
        g.inputDepth = input.shape[3]
        g.outputDepth = filter.shape[3]
        multiplier = filter.shape[3] / input.shape[3]
        g.filterHeight = filter.shape[1]
        g.filterWidth = filter.shape[2]
        window.place(&g)
        geometry = g
        try tensors.checkWork(g.batches, g.outputHeight, g.outputWidth, g.outputDepth, g.taps, node: node)

        let output = tensors[outputIndex]
        let biasIndex = node.optionalInput(2)
        var mode = try ConvOutputStage.mode(input: input, filter: filter, output: output, asymmetricHybrid: true, node: node)
        if case .hybrid = mode {
            mode = .hybrid(asymmetric: true)
            runner.stage.perChannelScales = true
        }
        try runner.stage.prepare(tensors, mode: mode, input: input, filter: filter, output: output, biasIndex: biasIndex,
                                 channels: g.outputDepth, batches: g.batches, activation: window.activation)
        runner.stage.rounding = ConvRounding.depthwise(mode: mode, geometry: g, depthMultiplier: multiplier,
                                                       multipliers: runner.stage.multipliers)
        tensors[outputIndex].shape = [g.batches, g.outputHeight, g.outputWidth, g.outputDepth]
        if DepthwiseRowConv.handles(mode: mode, multiplier: multiplier, filter: filter) {
            let rows = rowConv ?? DepthwiseRowConv(node: node)
            try rows.prepare(tensors, geometry: g, filterIndex: filterIndex, mode: mode)
            rowConv = rows
            packsFilter = mode != .float
            return
        }
        rowConv = nil
        packsFilter = true
        try runner.prepare(tensors, filterIndex: filterIndex, outer: 1, taps: g.taps, inner: g.outputDepth,
                           batches: g.batches, inputCount: g.inputCount, rows: g.batches * g.outputHeight, channels: g.outputDepth)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let operands = try geometry.checkedOperands(tensors, input: 0, node)
        let input = tensors[operands.input], output = tensors[operands.output]
        if let rowConv {
            try rowConv.run(tensors, input: input, output: output, stage: runner.stage)
            return
        }
        try runner.run(self, tensors, input: input, output: output)
    }

    func accumulate<M: MultiplyAccumulate>(_ mac: M.Type, input: UnsafePointer<M.Input>, weights: UnsafePointer<M.Weight>,
                                           accumulators: UnsafeMutablePointer<M.Accumulator>, rows: Range<Int>,
                                           finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void) {
        let g = geometry
        let depth = g.inputDepth
        let channels = g.outputDepth
        let multiplier = self.multiplier
        let capacity = max(1, g.filterHeight * g.filterWidth)
        // The valid taps of one output pixel, gathered for one call of the micro-kernel.
        withUnsafeTemporaryAllocation(of: UnsafePointer<M.Input>?.self, capacity: capacity) { pixels in
            withUnsafeTemporaryAllocation(of: UnsafePointer<M.Weight>?.self, capacity: capacity) { taps in
                guard let pixelBase = pixels.baseAddress, let tapBase = taps.baseAddress else { return }
                for row in rows {
                    let batch = row / g.outputHeight
                    let outY = row % g.outputHeight
                    let originY = outY * g.strideHeight - g.paddingHeight
                    let batchInput = input + batch * g.inputHeight * g.inputWidth * depth
                    for outX in 0..<g.outputWidth {
                        let originX = outX * g.strideWidth - g.paddingWidth
                        accumulators.update(repeating: M.zero, count: channels)
                        var valid = 0
                        for ky in 0..<g.filterHeight {
                            let inY = originY + ky * g.dilationHeight
                            if inY < 0 || inY >= g.inputHeight { continue }
                            for kx in 0..<g.filterWidth {
                                let inX = originX + kx * g.dilationWidth
                                if inX < 0 || inX >= g.inputWidth { continue }
                                let pixel = batchInput + (inY * g.inputWidth + inX) * depth
                                let tap = weights + (ky * g.filterWidth + kx) * channels
                                if multiplier == 1 {
                                    pixelBase[valid] = pixel
                                    tapBase[valid] = tap
                                    valid += 1
                                } else {
                                    for ic in 0..<depth {
                                        M.axpy(accumulators + ic * multiplier, tap + ic * multiplier, pixel[ic], multiplier)
                                    }
                                }
                            }
                        }
                        if valid > 0 { M.depthwise(accumulators, pixelBase, tapBase, taps: valid, count: channels) }
                        finish(accumulators, batch, row * g.outputWidth + outX)
                    }
                }
            }
        }
    }
}
