import TFLiteModel

/// CONV_2D on NHWC tensors with OHWI filters: strides, dilation, SAME/VALID padding, fused
/// activation, optional bias.
///
/// Types (see ``ConvMode``): float32; int8 with per-channel weights and int32 bias; uint8
/// per-tensor; int16×8 with int64 bias; hybrid float input with int8 weights. Hybrid follows
/// LiteRT's choice: weights whose per-channel scales differ take `EvalHybridPerChannel`
/// (asymmetric per-batch input quantization with a zero point), otherwise `EvalHybrid`
/// (symmetric per-batch quantization, the weight scale folded into the batch scale).
///
/// Weights are repacked at prepare to `[kh][kw][in][out]`; each output pixel accumulates its
/// output channels contiguously, rows of output split over the pool. float32 convolutions with
/// few output channels and a filter wider than a pixel run over output pixels instead
/// (``PixelConv``).
///
/// Grouped convolutions (filter depth a divisor of the input depth, as Keras `groups` converts):
/// one filter per group of input channels, the output channels split evenly over the groups. With
/// one input channel per group and one output channel per input (ConvNeXt's 7×7) that is a
/// depthwise convolution and runs on ``DepthwiseRowConv`` (the filter transposed once);
/// other groupings take ``ConvRunner``'s loops, group by group.
///
/// On the float32 and hybrid GEMM paths a following float activation operator may run inside
/// (``ActivationFusingKernel``): each output tile is activated as it is written.
final class Conv2DKernel: Kernel, ConvLoop, ActivationFusingKernel {
    private let node: Node
    private let window: ConvWindow
    private var geometry = ConvGeometry()
    private let runner: ConvRunner
    /// How `run` computes, chosen in `prepare`.
    private enum Path {
        /// float32, and int8 and hybrid on CPUs with 8-bit dot products: a packed GEMM.
        case gemm(PackedGEMM)
        /// float32 with few output channels and a filter wider than a pixel: over output pixels.
        case pixels(PixelConv)
        /// A depthwise-shaped grouped convolution: row kernels over the transposed filter.
        case depthwise(DepthwiseRowConv)
        /// Everything else: ``ConvRunner``'s loops over ``accumulate(_:input:weights:accumulators:rows:finish:)``.
        case loops
    }
    private var path = Path.loops

    /// Whether a packed GEMM runs the 1 × 1 convolution of the filter's one tap inside the input
    /// (``ConvSingleTap``).
    var runsSingleTap: Bool {
        switch path {
        case .gemm(.dotProduct(let gemm)): gemm.runsSingleTap
        case .gemm(.float(let gemm)): gemm.runsSingleTap
        default: false
        }
    }

    /// Whether the outputs come from a direct path of few input channels (``DotProductConv/isDirect``,
    /// ``FloatGEMMConv/isDirect``).
    var runsDirect: Bool {
        switch path {
        case .gemm(.dotProduct(let gemm)): gemm.isDirect
        case .gemm(.float(let gemm)): gemm.isDirect
        default: false
        }
    }
    /// Input channel groups (1 but for grouped convolutions).
    private var groups = 1
    private var filterIndex = -1
    /// The fused activation's output, written instead of the node's own (``fuse(_:writingTo:)``).
    private var fusedOutput: Int?

    /// Every path packs a constant filter into its own layout.
    var copiedConstants: [Int] { filterIndex >= 0 ? [filterIndex] : [] }

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...3, outputs: 1...1)
        self.node = node
        window = try ConvWindow(node.options(expecting: Conv2DOptions.self), node)
        runner = ConvRunner(node: node)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let (input, filterIndex, filter, outputIndex) = try ConvSupport.operands(node, tensors)
        self.filterIndex = filterIndex
        try ConvSupport.requireFourDimensional(input: input, filter: filter, node)
        guard filter.shape[3] > 0, input.shape[3] % filter.shape[3] == 0, filter.shape[0] % (input.shape[3] / filter.shape[3]) == 0 else {
            throw node.invalid("filter depth \(filter.shape[3]) does not divide input depth \(input.shape[3]) into groups of the \(filter.shape[0]) output channels")
        }
        groups = input.shape[3] / filter.shape[3]
        var g = ConvGeometry()
        g.batches = input.shape[0]
        g.inputHeight = input.shape[1]
        g.inputWidth = input.shape[2]
        g.inputDepth = input.shape[3]
        g.outputDepth = filter.shape[0]
        g.filterHeight = filter.shape[1]
        g.filterWidth = filter.shape[2]
        window.place(&g)
        geometry = g
        try tensors.checkWork(g.batches, g.outputHeight, g.outputWidth, g.outputDepth, g.taps, g.inputDepth, node: node)

        let output = tensors[outputIndex]
        let biasIndex = node.optionalInput(2)
        var mode = try ConvOutputStage.mode(input: input, filter: filter, output: output, asymmetricHybrid: true, node: node)
        if case .hybrid = mode {
            // LiteRT takes the per-channel (asymmetric) path only when the scales differ.
            let scales = filter.quantization?.scales ?? []
            let perChannel = scales.count > 1 && scales.contains { $0 != scales[0] }
            mode = .hybrid(asymmetric: perChannel)
            runner.stage.perChannelScales = perChannel
        }
        try runner.stage.prepare(tensors, mode: mode, input: input, filter: filter, output: output, biasIndex: biasIndex,
                                 channels: g.outputDepth, batches: g.batches, activation: window.activation)
        runner.stage.rounding = ConvRounding.conv2D(mode: mode, groups: groups)
        tensors[outputIndex].shape = [g.batches, g.outputHeight, g.outputWidth, g.outputDepth]
        path = .loops
        if groups > 1 {
            if case .hybrid = mode { throw node.unsupported("grouped hybrid convolution is not supported") }
            if filter.shape[3] == 1, g.outputDepth == g.inputDepth, DepthwiseRowConv.handles(mode: mode, multiplier: 1, filter: filter) {
                let rows = DepthwiseRowConv(node: node)
                try rows.prepare(tensors, geometry: g, filterIndex: filterIndex, mode: mode, filterIsChannelMajor: true)
                path = .depthwise(rows)
                return
            }
        } else if let tap = try singleTap(tensors, mode: mode, filter: filter),
                  let gemm = try PackedGEMM.prepare(tensors, mode: mode, filter: filter, filterIndex: filterIndex, geometry: g, singleTap: tap,
                                                    node: node) {
            path = .gemm(gemm)
            return
        } else if mode == .float, PixelConv.suits(g, groups: groups) {
            let pixels = PixelConv(node: node)
            try pixels.prepare(tensors, geometry: g, filterIndex: filterIndex)
            path = .pixels(pixels)
            return
        } else if let gemm = try PackedGEMM.prepare(tensors, mode: mode, filter: filter, filterIndex: filterIndex, geometry: g, node: node) {
            path = .gemm(gemm)
            return
        }
        try runner.prepare(tensors, filterIndex: filterIndex, outer: g.outputDepth, taps: g.taps, inner: g.inputDepth / groups,
                           batches: g.batches, inputCount: g.inputCount, rows: g.batches * g.outputHeight, channels: g.outputDepth)
    }

    /// The one tap every output reads (``ConvSingleTap``), for a constant filter of 8-bit or
    /// hybrid weights, or of floats whose dropped weights are all finite.
    private func singleTap(_ tensors: TensorTable, mode: ConvMode, filter: RuntimeTensor) throws(InterpreterError) -> ConvSingleTap? {
        guard let tap = ConvSingleTap.find(geometry), filter.isConstant else { return nil }
        switch mode {
        case .int8, .uint8, .hybrid: return tap
        case .float:
            guard filter.type == .float32 else { return nil }
            let g = geometry
            let weights = try ConvSupport.checked(filter, Float.self, count: tap.fullCount(channels: g.outputDepth, depth: g.inputDepth), node: node)
            return tap.dropsOnlyFinite(UnsafePointer(weights), channels: g.outputDepth, depth: g.inputDepth) ? tap : nil
        case .int16: return nil
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        // The tensors are passed on borrowed from the table (no copies per invoke).
        var (inputIndex, outputIndex) = try geometry.checkedOperands(tensors, input: 0, node)
        if let fusedOutput {
            guard tensors[fusedOutput].elementCount == tensors[outputIndex].elementCount else {
                throw node.failure("tensor sizes changed after prepare")
            }
            outputIndex = fusedOutput
        }
        switch path {
        case .gemm(let gemm):
            try gemm.run(tensors, inputIndex: inputIndex, outputIndex: outputIndex, stage: runner.stage)
        case .pixels(let pixels):
            try pixels.run(tensors, input: tensors[inputIndex], output: tensors[outputIndex], stage: runner.stage)
        case .depthwise(let depthwise):
            try depthwise.run(tensors, input: tensors[inputIndex], output: tensors[outputIndex], stage: runner.stage)
        case .loops:
            try runner.run(self, tensors, input: tensors[inputIndex], output: tensors[outputIndex])
        }
    }

    /// Fuses on the float32 GEMM and the hybrid dot-product GEMM, whose output stages apply
    /// ``ConvOutputStage/fusedActivation`` per tile.
    func fuse(_ activation: FloatActivation, writingTo output: Int) -> Bool {
        switch (path, runner.stage.mode) {
        case (.gemm(.float), .float), (.gemm(.dotProduct), .hybrid): break
        default: return false
        }
        runner.stage.fusedActivation = activation
        fusedOutput = output
        return true
    }

    func runUnfused(_ tensors: TensorTable) throws(InterpreterError) {
        let activation = runner.stage.fusedActivation, output = fusedOutput
        runner.stage.fusedActivation = nil
        fusedOutput = nil
        defer {
            runner.stage.fusedActivation = activation
            fusedOutput = output
        }
        try run(tensors)
    }

    func accumulate<M: MultiplyAccumulate>(_ mac: M.Type, input: UnsafePointer<M.Input>, weights: UnsafePointer<M.Weight>,
                                           accumulators: UnsafeMutablePointer<M.Accumulator>, rows: Range<Int>,
                                           finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void) {
        let g = geometry
        let depth = g.inputDepth
        let channels = g.outputDepth
        if groups > 1 {
            accumulateGroups(mac, input: input, weights: weights, accumulators: accumulators, rows: rows, finish: finish)
            return
        }
        // Pointwise (1×1, stride 1, no padding): an output row's pixels read consecutive input
        // pixels, so four at a time share one pass over the weights.
        let pointwise = g.filterHeight == 1 && g.filterWidth == 1 && g.strideWidth == 1 && g.paddingWidth == 0 && g.paddingHeight == 0
        for row in rows {
            let batch = row / g.outputHeight
            let outY = row % g.outputHeight
            let originY = outY * g.strideHeight - g.paddingHeight
            let batchInput = input + batch * g.inputHeight * g.inputWidth * depth
            var firstX = 0
            if pointwise, originY >= 0, originY < g.inputHeight {
                let block = ConvRunner.pixelsPerBlock
                while firstX + block <= g.outputWidth {
                    accumulators.update(repeating: M.zero, count: channels * block)
                    let pixel = batchInput + (originY * g.inputWidth + firstX) * depth
                    M.gemv4(accumulators, accStride: channels, weights, pixel, xStride: depth, depth: depth, count: channels, stride: channels)
                    for p in 0..<block { finish(accumulators + p * channels, batch, row * g.outputWidth + firstX + p) }
                    firstX += block
                }
            }
            for outX in firstX..<g.outputWidth {
                let originX = outX * g.strideWidth - g.paddingWidth
                accumulators.update(repeating: M.zero, count: channels)
                for ky in 0..<g.filterHeight {
                    let inY = originY + ky * g.dilationHeight
                    if inY < 0 || inY >= g.inputHeight { continue }
                    if g.dilationWidth == 1 {
                        // The valid taps of a filter row read consecutive input pixels: one
                        // reduction of (taps × depth) values.
                        let kx0 = max(0, -originX), kx1 = min(g.filterWidth, g.inputWidth - originX)
                        if kx0 >= kx1 { continue }
                        let pixel = batchInput + (inY * g.inputWidth + originX + kx0) * depth
                        let tap = weights + (ky * g.filterWidth + kx0) * depth * channels
                        M.gemv(accumulators, tap, pixel, depth: (kx1 - kx0) * depth, count: channels, stride: channels)
                        continue
                    }
                    for kx in 0..<g.filterWidth {
                        let inX = originX + kx * g.dilationWidth
                        if inX < 0 || inX >= g.inputWidth { continue }
                        let pixel = batchInput + (inY * g.inputWidth + inX) * depth
                        let tap = weights + (ky * g.filterWidth + kx) * depth * channels
                        M.gemv(accumulators, tap, pixel, depth: depth, count: channels, stride: channels)
                    }
                }
                finish(accumulators, batch, row * g.outputWidth + outX)
            }
        }
    }

    /// ``accumulate(_:input:weights:accumulators:rows:finish:)`` for a grouped convolution: per
    /// valid tap, each group's output channels from its own input channels (the weights packed
    /// `[taps][inputDepth / groups][outputDepth]`).
    private func accumulateGroups<M: MultiplyAccumulate>(_ mac: M.Type, input: UnsafePointer<M.Input>, weights: UnsafePointer<M.Weight>,
                                                         accumulators: UnsafeMutablePointer<M.Accumulator>, rows: Range<Int>,
                                                         finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void) {
        let g = geometry
        let depth = g.inputDepth, channels = g.outputDepth
        let groupDepth = depth / groups, groupChannels = channels / groups
        for row in rows {
            let batch = row / g.outputHeight
            let originY = (row % g.outputHeight) * g.strideHeight - g.paddingHeight
            let batchInput = input + batch * g.inputHeight * g.inputWidth * depth
            for outX in 0..<g.outputWidth {
                let originX = outX * g.strideWidth - g.paddingWidth
                accumulators.update(repeating: M.zero, count: channels)
                for ky in 0..<g.filterHeight {
                    let inY = originY + ky * g.dilationHeight
                    if inY < 0 || inY >= g.inputHeight { continue }
                    for kx in 0..<g.filterWidth {
                        let inX = originX + kx * g.dilationWidth
                        if inX < 0 || inX >= g.inputWidth { continue }
                        let pixel = batchInput + (inY * g.inputWidth + inX) * depth
                        let tap = weights + (ky * g.filterWidth + kx) * groupDepth * channels
                        for group in 0..<groups {
                            M.gemv(accumulators + group * groupChannels, tap + group * groupChannels, pixel + group * groupDepth,
                                   depth: groupDepth, count: groupChannels, stride: channels)
                        }
                    }
                }
                finish(accumulators, batch, row * g.outputWidth + outX)
            }
        }
    }
}
