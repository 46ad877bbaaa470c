import TFLiteModel

/// TRANSPOSE_CONV: inputs `output_shape` (constant int32 `[4]`), OHWI weights, NHWC input and an
/// optional bias; strides, SAME/VALID padding and a fused activation. (MediaPipe's
/// `Convolution2DTransposeBias` is a ``CustomOperator``: `TransposeConvBiasOperator`.)
///
/// LiteRT's reference scatters each input pixel into the outputs it touches; this kernel gathers
/// instead (output `y` reads input `(y + padding − ky) / stride` when that divides exactly),
/// which gives the same integer sums and lets output rows run in parallel. Types as CONV_2D
/// (see ``ConvMode``). 8-bit outputs round as LiteRT's optimized kernel: halves up in whole
/// blocks of 8 channels (its vector requantization; uint8: blocks of 16 values of the flat
/// output), gemmlowp's rounding for the rest. Hybrid convolutions (float input, int8 weights)
/// take ``TransposeConvGEMM`` instead where the 8-bit GEMM has vector code (the same bits).
final class TransposeConvKernel: Kernel, ConvLoop {
    private let node: Node
    private let padding: ConvPadding
    private let strideWidth: Int
    private let strideHeight: Int
    private let activation: FusedActivation
    private var geometry = ConvGeometry()
    private let runner: ConvRunner
    /// Hybrid convolutions on CPUs with the 8-bit GEMM: ``TransposeConvGEMM`` (else the loops).
    private var gemm: TransposeConvGEMM?
    /// Where the operands are: TRANSPOSE_CONV's `(output_shape, weights, input, bias?)`.
    private let operands: (shape: Int, filter: Int, input: Int, bias: Int)

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 3...4, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: TransposeConvOptions.self)
        padding = try ConvSupport.padding(options.padding, node)
        // An absent stride is 1 here (the schema's default, 0, is no stride).
        strideWidth = try ConvSupport.positive(options.has(.strideW) ? options.strideW : 1, name: "stride_w", node)
        strideHeight = try ConvSupport.positive(options.has(.strideH) ? options.strideH : 1, name: "stride_h", node)
        activation = try FusedActivation(raw: options.fusedActivationFunction, node: node)
        runner = ConvRunner(node: node)
        operands = (0, 1, 2, 3)
    }

    /// The output shape: TRANSPOSE_CONV's constant `output_shape`.
    private func outputShape(_ tensors: TensorTable, input: RuntimeTensor, filter: RuntimeTensor) throws(InterpreterError) -> [Int] {
        let position = operands.shape
        let shapeTensor = tensors[try node.input(position)]
        guard tensors.valuesKnown(shapeTensor) else { throw tensors.deferToRunTime(node, "dynamic output shape: output_shape is not constant") }
        guard shapeTensor.type == .int32, shapeTensor.elementCount == 4 else {
            throw node.invalid("output_shape must be int32 [4], got \(shapeTensor.type) \(shapeTensor.shape)")
        }
        let shapeValues = try ConvSupport.checked(shapeTensor, Int32.self, count: 4, node: node)
        return (0..<4).map { Int(shapeValues[$0]) }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let filterIndex = try node.input(operands.filter)
        let filter = tensors[filterIndex]
        let input = tensors[try node.input(operands.input)]
        let outputIndex = try node.output(0)
        let outputShape = try outputShape(tensors, input: input, filter: filter)
        var outputCount = 1
        for dimension in outputShape {
            guard dimension >= 0 else { throw node.invalid("bad output_shape \(outputShape)") }
            let (product, overflow) = outputCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= 1 << 31 else { throw node.invalid("output_shape \(outputShape) is too large") }
            outputCount = product
        }
        guard input.shape.count == 4 else { throw node.invalid("input must be 4-D, got shape \(input.shape)") }
        guard filter.shape.count == 4 else { throw node.invalid("filter must be 4-D, got shape \(filter.shape)") }
        guard filter.shape[3] == input.shape[3], filter.shape[0] == outputShape[3], outputShape[0] == input.shape[0] else {
            throw node.invalid("filter \(filter.shape), input \(input.shape) and output_shape \(outputShape) do not fit")
        }
        var g = ConvGeometry()
        g.batches = input.shape[0]
        g.inputHeight = input.shape[1]
        g.inputWidth = input.shape[2]
        g.inputDepth = input.shape[3]
        g.outputHeight = outputShape[1]
        g.outputWidth = outputShape[2]
        g.outputDepth = outputShape[3]
        g.filterHeight = filter.shape[1]
        g.filterWidth = filter.shape[2]
        g.strideHeight = strideHeight
        g.strideWidth = strideWidth
        // Padding as for a convolution from the output size back to the input size.
        g.paddingHeight = ConvAxis(padding: padding, inputSize: g.outputHeight, filterSize: g.filterHeight, stride: strideHeight, dilation: 1).padding
        g.paddingWidth = ConvAxis(padding: padding, inputSize: g.outputWidth, filterSize: g.filterWidth, stride: strideWidth, dilation: 1).padding
        geometry = g
        try tensors.checkWork(g.batches, g.outputHeight, g.outputWidth, g.outputDepth, g.taps, g.inputDepth, node: node)

        let output = tensors[outputIndex]
        var mode = try ConvOutputStage.mode(input: input, filter: filter, output: output, asymmetricHybrid: true, node: node)
        if case .hybrid = mode {
            mode = .hybrid(asymmetric: HybridChoice.transposeConvAsymmetric)
            runner.stage.perChannelScales = true
        }
        try runner.stage.prepare(tensors, mode: mode, input: input, filter: filter, output: output, biasIndex: node.optionalInput(operands.bias),
                                 channels: g.outputDepth, batches: g.batches, activation: activation)
        if mode == .int8 {
            // LiteRT's optimized kernel requantizes whole blocks of 8 channels on its vector path,
            runner.stage.halfUpChannels = g.outputDepth / 8 * 8
        } else if mode == .uint8 {
            // and uint8 outputs (one multiplier) in blocks of 16 values over the whole output.
            runner.stage.halfUpElements = outputCount / 16 * 16
        }
        tensors[outputIndex].shape = outputShape
        gemm = nil
        if case .hybrid = mode, filter.type == .int8, TransposeConvGEMM.suits(g) {
            let gemm = TransposeConvGEMM(node: node)
            try gemm.prepare(tensors, geometry: g, filterIndex: filterIndex)
            self.gemm = gemm
            return
        }
        try runner.prepare(tensors, filterIndex: filterIndex, outer: g.outputDepth, taps: g.taps, inner: g.inputDepth,
                           batches: g.batches, inputCount: g.inputCount, rows: g.batches * g.outputHeight, channels: g.outputDepth)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let checked = try geometry.checkedOperands(tensors, input: operands.input, node)
        let input = tensors[checked.input], output = tensors[checked.output]
        if let gemm {
            try gemm.run(tensors, input: input, output: output, stage: runner.stage)
            return
        }
        try runner.run(self, tensors, input: input, output: output)
    }

    /// Output pixels `s` apart along a row (`s` the stride) take the same filter columns at
    /// consecutive input pixels, so they accumulate four at a time (`gemv4`: each weight row read
    /// once for four pixels); a group runs one pixel at a time only where some of its input
    /// pixels fall outside the input. Each pixel still sums its taps in (ky, kx) order.
    func accumulate<M: MultiplyAccumulate>(_ mac: M.Type, input: UnsafePointer<M.Input>, weights: UnsafePointer<M.Weight>,
                                           accumulators: UnsafeMutablePointer<M.Accumulator>, rows: Range<Int>,
                                           finish: (UnsafeMutablePointer<M.Accumulator>, Int, Int) -> Void) {
        let g = geometry
        let depth = g.inputDepth
        let channels = g.outputDepth
        let group = ConvRunner.pixelsPerBlock
        for row in rows {
            let batch = row / g.outputHeight
            let outY = row % g.outputHeight
            let batchInput = input + batch * g.inputHeight * g.inputWidth * depth
            for first in 0..<min(g.strideWidth, g.outputWidth) {
                var outX = first
                while outX < g.outputWidth {
                    let count = min(group, (g.outputWidth - 1 - outX) / g.strideWidth + 1)
                    accumulators.update(repeating: M.zero, count: count * channels)
                    for ky in 0..<g.filterHeight {
                        let sy = outY + g.paddingHeight - ky
                        if sy < 0 || sy % g.strideHeight != 0 { continue }
                        let inY = sy / g.strideHeight
                        if inY >= g.inputHeight { continue }
                        for kx in 0..<g.filterWidth {
                            let sx = outX + g.paddingWidth - kx
                            // The group's pixels are stride apart: all or none divide exactly.
                            if sx % g.strideWidth != 0 { continue }
                            let inX = sx / g.strideWidth  // exact, negative included
                            let tap = weights + (ky * g.filterWidth + kx) * depth * channels
                            let rowInput = batchInput + inY * g.inputWidth * depth
                            if count == group && inX >= 0 && inX + group <= g.inputWidth {
                                M.gemv4(accumulators, accStride: channels, tap, rowInput + inX * depth, xStride: depth, depth: depth,
                                        count: channels, stride: channels)
                                continue
                            }
                            for p in 0..<count where inX + p >= 0 && inX + p < g.inputWidth {
                                M.gemv(accumulators + p * channels, tap, rowInput + (inX + p) * depth, depth: depth, count: channels,
                                       stride: channels)
                            }
                        }
                    }
                    for p in 0..<count {
                        finish(accumulators + p * channels, batch, row * g.outputWidth + outX + p * g.strideWidth)
                    }
                    outX += count * g.strideWidth
                }
            }
        }
    }
}

/// Which input quantization LiteRT's hybrid kernels use where it is not set by an option.
enum HybridChoice {
    static let transposeConvAsymmetric = true
}
