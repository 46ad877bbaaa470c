import TFLiteModel

/// SVDF (singular value decomposition filter, keyword-spotting models): each run shifts the
/// state `[batch, filters × memory]` one step left, writes `weights_feature · x` into each
/// filter's newest slot, takes each filter's dot product with its `weights_time` row over the
/// memory, sums `rank` filters per unit, adds the bias and applies the activation. Float32,
/// hybrid (int8 `weights_feature` and `weights_time`, float input and state: the input is
/// quantized per batch row, `weights_time` dequantized), and full integer (int8 input and
/// feature weights, int16 time weights and state, int32 bias, int8 output, two requantizing
/// multipliers; LiteRT requires RELU there and applies none beyond the int8 range), as LiteRT's
/// SVDF kernels compute each.
///
/// Inputs: 0 the input `[batch, input]`; 1 `weights_feature` `[filters, input]`; 2
/// `weights_time` `[filters, memory]`; 3 the optional bias `[units]` (`units = filters / rank`);
/// 4 the state (a variable tensor). Output `[batch, units]`.
final class SVDFKernel: Kernel {
    private let node: Node
    private let rank: Int
    private let activation: FusedActivation
    private let asymmetricInputs: Bool
    private var geometry = (batches: 0, inputs: 0, filters: 0, memory: 0, units: 0)
    private var kind = Kind.float

    private enum Kind {
        case float
        case hybrid(feature: LSTMWeights, time: UnsafeMutablePointer<Float>, scales: UnsafeMutablePointer<Float>,
                    zeroPoints: UnsafeMutablePointer<Int32>, quantized: UnsafeMutablePointer<Int8>, column: UnsafeMutablePointer<Float>)
        case integer(inputZeroPoint: Int32, outputZeroPoint: Int32, feature: FixedPoint.Multiplier, output: FixedPoint.Multiplier,
                     scratch: UnsafeMutablePointer<Int32>)
    }

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 5...5, outputs: 1...1)
        let options = try node.options(expecting: SVDFOptions.self)
        self.node = node
        guard options.rank > 0 else { throw node.invalid("rank \(options.rank) must be positive") }
        rank = Int(options.rank)
        guard let activation = FusedActivation(rawValue: options.fusedActivationFunction) else {
            throw node.unsupported("fused activation \(options.fusedActivationFunction)")
        }
        self.activation = activation
        asymmetricInputs = options.asymmetricQuantizeInputs
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let feature = tensors[try node.input(1)]
        let time = tensors[try node.input(2)]
        guard input.shape.count == 2, feature.shape.count == 2, time.shape.count == 2, feature.shape[1] == input.shape[1],
              time.shape[0] == feature.shape[0], feature.shape[0] > 0, time.shape[1] > 0, input.shape[1] > 0 else {
            throw node.invalid("input \(input.shape), weights_feature \(feature.shape) and weights_time \(time.shape) do not fit")
        }
        let (batches, inputs, filters, memory) = (input.shape[0], input.shape[1], feature.shape[0], time.shape[1])
        guard filters % rank == 0 else { throw node.invalid("\(filters) filters are not a multiple of rank \(rank)") }
        let units = filters / rank
        geometry = (batches, inputs, filters, memory, units)
        let state = tensors[try node.input(4)]
        guard state.isVariableTensor, state.elementCount == batches * filters * memory else {
            throw node.invalid("the state must be a variable tensor of \(batches * filters * memory) values, got \(state.shape)")
        }
        for index in [try node.input(1), try node.input(2)] + [node.optionalInput(3)].compactMap({ $0 }) where !tensors[index].isConstant {
            throw node.unsupported("weights and bias must be constants")
        }
        if let index = node.optionalInput(3), tensors[index].elementCount != units {
            throw node.invalid("the bias has \(tensors[index].elementCount) values, expected \(units)")
        }
        let output = try node.output(0)
        tensors[output].shape = [batches, units]
        try tensors.checkWork(batches, filters, inputs + memory, node: node)
        switch (input.type, feature.type, time.type, state.type) {
        case (.float32, .float32, .float32, .float32):
            try checkBias(tensors, .float32)
            kind = .float
            tensors[output].type = .float32
        case (.float32, .int8, .int8, .float32):
            try checkBias(tensors, .float32)
            guard let timeScale = time.quantization?.scale, let data = time.data else { throw node.invalid("weights_time needs a scale") }
            let weights = try LSTMWeights(tensors, try node.input(1), rows: filters, columns: inputs, role: "weights_feature", node: node)
            let dequantized = try floats(tensors, filters * memory)
            let raw = data.assumingMemoryBound(to: Int8.self)
            for i in 0..<(filters * memory) { dequantized[i] = Float(raw[i]) * timeScale }
            kind = .hybrid(feature: weights, time: dequantized, scales: try floats(tensors, batches),
                           zeroPoints: try tensors.allocatePersistent(byteCount: 4 * batches).bindMemory(to: Int32.self, capacity: batches),
                           quantized: try tensors.allocatePersistent(byteCount: batches * inputs).bindMemory(to: Int8.self, capacity: batches * inputs),
                           column: try floats(tensors, batches * filters))
            tensors[output].type = .float32
        case (.int8, .int8, .int16, .int16):
            try checkBias(tensors, .int32)
            let outputTensor = tensors[output]
            // LiteRT's integer SVDF requires RELU and then clamps only to the int8 range.
            guard activation == .relu else {
                throw node.unsupported("int8 SVDF with activation \(activation) (LiteRT's takes relu)")
            }
            guard let inputScale = input.quantization?.scale, let featureScale = feature.quantization?.scale,
                  let timeScale = time.quantization?.scale, let stateScale = state.quantization?.scale,
                  let outputQuantization = outputTensor.quantization, stateScale > 0, outputQuantization.scale > 0 else {
                throw node.invalid("int8 SVDF needs scales on its input, weights, state and output")
            }
            kind = .integer(inputZeroPoint: input.quantization?.zeroPoint ?? 0, outputZeroPoint: outputQuantization.zeroPoint,
                            feature: FixedPoint.Multiplier(Double(inputScale * featureScale / stateScale)),
                            output: FixedPoint.Multiplier(Double(stateScale * timeScale / outputQuantization.scale)),
                            scratch: try tensors.allocatePersistent(byteCount: 4 * batches * filters).bindMemory(to: Int32.self, capacity: batches * filters))
            tensors[output].type = .int8
        default:
            throw node.unsupported("input \(input.type), weights \(feature.type)/\(time.type), state \(state.type)")
        }
    }

    private func floats(_ tensors: TensorTable, _ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Float> {
        try tensors.allocatePersistent(byteCount: 4 * count).bindMemory(to: Float.self, capacity: count)
    }

    private func checkBias(_ tensors: TensorTable, _ type: TensorType) throws(InterpreterError) {
        if let index = node.optionalInput(3), tensors[index].type != type { throw node.unsupported("bias of type \(tensors[index].type)") }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let input = tensors[try node.input(0)].data, let featureData = tensors[try node.input(1)].data,
              let timeData = tensors[try node.input(2)].data, let stateData = tensors[try node.input(4)].data,
              let output = tensors[try node.output(0)].data else {
            throw node.failure("not prepared")
        }
        let biasData = node.optionalInput(3).flatMap { tensors[$0].data }
        let g = geometry
        let total = g.batches * g.filters * g.memory
        switch kind {
        case .float, .hybrid:
            let state = stateData.assumingMemoryBound(to: Float.self)
            if total > 1 { state.update(from: state + 1, count: total - 1) }
            let x = UnsafePointer(input.assumingMemoryBound(to: Float.self))
            let time: UnsafePointer<Float>
            if case .hybrid(let feature, let dequantized, let scales, let zeroPoints, let quantized, let column) = kind {
                time = UnsafePointer(dequantized)
                column.update(repeating: 0, count: g.batches * g.filters)
                if RecurrentMath.quantizeRows(x, count: g.inputs, batches: g.batches, asymmetric: asymmetricInputs, into: quantized,
                                              scales: scales, zeroPoints: zeroPoints) {
                    feature.accumulate(quantized: quantized, scaling: scales, zeroPoints: asymmetricInputs ? zeroPoints : nil,
                                       batches: g.batches, into: column)
                }
                for i in 0..<(g.batches * g.filters) { state[i * g.memory + g.memory - 1] = column[i] }
            } else {
                time = UnsafePointer(timeData.assumingMemoryBound(to: Float.self))
                let feature = featureData.assumingMemoryBound(to: Float.self)
                for b in 0..<g.batches {
                    for f in 0..<g.filters {
                        var dot: Float = 0
                        for c in 0..<g.inputs { dot += feature[f * g.inputs + c] * x[b * g.inputs + c] }
                        state[(b * g.filters + f) * g.memory + g.memory - 1] = dot
                    }
                }
            }
            let y = output.assumingMemoryBound(to: Float.self)
            let bias = biasData?.assumingMemoryBound(to: Float.self)
            for b in 0..<g.batches {
                for u in 0..<g.units {
                    var sum: Float = 0
                    for r in 0..<rank {
                        let f = u * rank + r
                        let row = state + (b * g.filters + f) * g.memory
                        var dot: Float = 0
                        for m in 0..<g.memory { dot += time[f * g.memory + m] * row[m] }
                        sum += dot
                    }
                    if let bias { sum += bias[u] }
                    y[b * g.units + u] = RecurrentMath.activate(activation, sum)
                }
            }
        case .integer(let inputZeroPoint, let outputZeroPoint, let featureScale, let outputScale, let scratch):
            let state = stateData.assumingMemoryBound(to: Int16.self)
            if total > 1 { state.update(from: state + 1, count: total - 1) }
            let x = input.assumingMemoryBound(to: Int8.self)
            let feature = featureData.assumingMemoryBound(to: Int8.self)
            let time = timeData.assumingMemoryBound(to: Int16.self)
            for b in 0..<g.batches {
                for f in 0..<g.filters {
                    var dot: Int32 = 0
                    for c in 0..<g.inputs { dot &+= Int32(feature[f * g.inputs + c]) &* (Int32(x[b * g.inputs + c]) &- inputZeroPoint) }
                    state[(b * g.filters + f) * g.memory + g.memory - 1] = Int16(clamping: FixedPoint.multiply(dot, by: featureScale))
                }
            }
            for i in 0..<(g.batches * g.filters) {
                let row = state + i * g.memory
                let weights = time + (i % g.filters) * g.memory
                var dot: Int32 = 0
                for m in 0..<g.memory { dot &+= Int32(weights[m]) &* Int32(row[m]) }
                scratch[i] = dot
            }
            let y = output.assumingMemoryBound(to: Int8.self)
            let bias = biasData?.assumingMemoryBound(to: Int32.self)
            for b in 0..<g.batches {
                for u in 0..<g.units {
                    var sum = bias?[u] ?? 0
                    for r in 0..<rank { sum &+= scratch[b * g.filters + u * rank + r] }
                    let value = FixedPoint.multiply(sum, by: outputScale) &+ outputZeroPoint
                    y[b * g.units + u] = Int8(min(max(value, -128), 127))
                }
            }
        }
    }
}
