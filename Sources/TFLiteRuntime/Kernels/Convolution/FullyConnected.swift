import TFLiteModel

/// FULLY_CONNECTED: `output[b, u] = Σ_d input[b, d] × weights[u, d] + bias[u]`, with
/// `keep_num_dims`, an optional bias and a fused activation (default weights format only).
/// Weights stored sparse are expanded once at prepare (``SparseWeights``); mostly-zero constant
/// weights then run as sparse products where that is faster (``SparseFloatConv``,
/// ``SparseDotProduct``).
///
/// Types as CONV_2D (see ``ConvMode``): float32, int8 (per-tensor or per-channel weights),
/// uint8, int16×8 and hybrid float input with int8 weights. Hybrid quantizes each input row on
/// the fly (every row of a `keep_num_dims` input is a batch of its own), asymmetrically when
/// `asymmetric_quantize_inputs` is set (LiteRT's row-sum correction), symmetrically otherwise,
/// and scales each exact sum by the product of the row's input scale and the unit's weight scale
/// (`EvalHybridDense`'s order). Per-tensor integer weights use LiteRT's float-product
/// multiplier (`GetQuantizedConvolutionMultipler`), per-channel ones the double-precision one.
///
/// int16×8 sums in 64 bits but requantizes with the 32-bit multiplier, matching LiteRT's
/// outputs.
///
/// float32, int8 and hybrid (on CPUs with 8-bit dot products) run as a 1×1 convolution over
/// the input's rows on the packed GEMMs; the rest repack the weights to `[depth][units]`, so each
/// row accumulates all units contiguously.
final class FullyConnectedKernel: Kernel, ConvLoop {
    private let node: Node
    private let activation: FusedActivation
    private let keepNumDims: Bool
    private let asymmetricInputs: Bool
    private var batches = 0
    private var depth = 0
    private var units = 0
    private let runner: ConvRunner
    /// float32, and int8 and hybrid with int8 weights on CPUs with 8-bit dot products: the
    /// convolution GEMMs, the input's rows taken as the pixels of a 1×1 convolution.
    private var gemm: PackedGEMM?
    private var filterIndex = -1

    /// Every path packs constant weights into its own layout.
    var copiedConstants: [Int] { filterIndex >= 0 ? [filterIndex] : [] }

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...3, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: FullyConnectedOptions.self)
        activation = try FusedActivation(raw: options.fusedActivationFunction, node: node)
        let format = options.weightsFormat
        guard format == 0 else { throw node.unsupported("weights format \(format) (only DEFAULT is supported)") }
        keepNumDims = options.keepNumDims
        asymmetricInputs = options.asymmetricQuantizeInputs
        runner = ConvRunner(node: node)
    }

    /// Whether the prepared route multiplies by sparse weights (see ``PackedGEMM/isSparse``).
    var runsSparse: Bool { gemm?.isSparse ?? false }

    /// Whether the prepared route is the one-row sparse float product in runs of 4.
    var runsOfFour: Bool {
        if case .sparseRow(let gemv) = gemm { gemv.runsOfFour } else { false }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let (input, filterIndex, _, outputIndex) = try ConvSupport.operands(node, tensors)
        let filter = try SparseWeights.densified(tensors, index: filterIndex, node: node)
        self.filterIndex = filterIndex
        guard filter.shape.count == 2, filter.shape[1] > 0 else { throw node.invalid("weights must be 2-D, got shape \(filter.shape)") }
        guard !input.shape.isEmpty else { throw node.invalid("input must have at least one dimension") }
        units = filter.shape[0]
        depth = filter.shape[1]
        let inputCount = input.elementCount
        guard inputCount % depth == 0 else {
            throw node.invalid("input shape \(input.shape) does not split into rows of \(depth)")
        }
        batches = inputCount / depth
        try tensors.checkWork(batches, depth, units, node: node)
        var outputShape: [Int]
        if keepNumDims {
            guard input.shape.last == depth else {
                throw node.invalid("keep_num_dims needs the input's last dimension \(input.shape) to equal \(depth)")
            }
            outputShape = input.shape
            outputShape[outputShape.count - 1] = units
        } else {
            outputShape = [batches, units]
        }
        let output = tensors[outputIndex]
        var mode = try ConvOutputStage.mode(input: input, filter: filter, output: output, asymmetricHybrid: asymmetricInputs, node: node)
        let scales = filter.quantization?.scales ?? []
        if case .hybrid = mode {
            mode = .hybrid(asymmetric: asymmetricInputs)
            runner.stage.perChannelScales = scales.count > 1
            runner.stage.hybridScalesFirst = true
        }
        runner.stage.int16UsesInt32Multiplier = true
        try runner.stage.prepare(tensors, mode: mode, input: input, filter: filter, output: output, biasIndex: node.optionalInput(2),
                                 channels: units, batches: batches, activation: activation,
                                 legacyPerTensor: scales.count <= 1)
        runner.stage.rounding = ConvRounding.fullyConnected(mode: mode)
        tensors[outputIndex].shape = outputShape
        var rows = ConvGeometry()
        rows.batches = batches
        rows.inputHeight = 1
        rows.inputWidth = 1
        rows.inputDepth = depth
        rows.outputHeight = 1
        rows.outputWidth = 1
        rows.outputDepth = units
        rows.filterHeight = 1
        rows.filterWidth = 1
        gemm = try PackedGEMM.prepare(tensors, mode: mode, filter: filter, filterIndex: filterIndex, geometry: rows, node: node)
        if gemm != nil { return }
        try runner.prepare(tensors, filterIndex: filterIndex, outer: units, taps: 1, inner: depth,
                           batches: batches, inputCount: inputCount, rows: batches, channels: units)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        // The tensors are passed on borrowed from the table (no copies per invoke).
        let inputIndex = try node.input(0), outputIndex = try node.output(0)
        guard tensors[inputIndex].elementCount == batches * depth, tensors[outputIndex].elementCount == batches * units else {
            throw node.failure("tensor sizes changed after prepare")
        }
        if let gemm {
            try gemm.run(tensors, inputIndex: inputIndex, outputIndex: outputIndex, stage: runner.stage)
            return
        }
        try runner.run(self, tensors, input: tensors[inputIndex], output: tensors[outputIndex])
    }

    func accumulate<M: MultiplyAccumulate>(_ mac: M.Type, input: UnsafePointer<M.Input>, weights: UnsafePointer<M.Weight>,
                                           accumulators: UnsafeMutablePointer<M.Accumulator>, rows: Range<Int>,
                                           finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void) {
        let depth = self.depth
        let units = self.units
        for row in rows {
            accumulators.update(repeating: M.zero, count: units)
            let x = input + row * depth
            M.gemv(accumulators, weights, x, depth: depth, count: units, stride: units)
            finish(accumulators, row, row)
        }
    }
}
