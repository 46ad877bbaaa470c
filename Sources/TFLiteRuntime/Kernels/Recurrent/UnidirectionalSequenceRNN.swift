import TFLiteModel

/// UNIDIRECTIONAL_SEQUENCE_RNN (a fully connected recurrent layer, Keras `SimpleRNN`):
/// `h = act(W·x + R·h + b)` at every step, float32, or hybrid (int8 `W` and `R` with one scale
/// each, inputs and state quantized per batch row, as LiteRT's `RnnBatchStep` computes it).
///
/// Inputs: 0 the sequence (`[time, batch, input]` when `time_major`, else `[batch, time,
/// input]`); 1 the weights `[units, input]`; 2 the recurrent weights `[units, units]`; 3 the bias
/// `[units]`; 4 the hidden state `[batch, units]` (a variable tensor, kept between runs).
/// Output: the hidden state at every step.
final class UnidirectionalSequenceRNNKernel: Kernel {
    private let node: Node
    private let activation: FusedActivation
    private let timeMajor: Bool
    private let asymmetricInputs: Bool
    private var walk = SequenceWalk(time: 0, batches: 0, timeMajor: false)
    private var inputs = 0
    private var units = 0
    private var weights: LSTMWeights?
    private var recurrent: LSTMWeights?
    private var bias: UnsafePointer<Float>?
    private var scratch: (scales: UnsafeMutablePointer<Float>, zeroPoints: UnsafeMutablePointer<Int32>, quantized: UnsafeMutablePointer<Int8>)?

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 5...5, outputs: 1...1)
        let options = try node.options(expecting: SequenceRNNOptions.self)
        self.node = node
        guard let kind = FusedActivation(rawValue: options.fusedActivationFunction) else {
            throw node.unsupported("fused activation \(options.fusedActivationFunction)")
        }
        activation = kind
        timeMajor = options.timeMajor
        asymmetricInputs = options.asymmetricQuantizeInputs
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        guard input.type == .float32, input.shape.count == 3 else {
            throw node.unsupported("input must be float32 [\(timeMajor ? "time, batch" : "batch, time"), features], got \(input.type) \(input.shape)")
        }
        let time = timeMajor ? input.shape[0] : input.shape[1]
        let batches = timeMajor ? input.shape[1] : input.shape[0]
        inputs = input.shape[2]
        let w = tensors[try node.input(1)]
        guard w.shape.count == 2, w.shape[1] == inputs, w.shape[0] > 0, inputs > 0 else {
            throw node.invalid("weights \(w.shape) do not take \(inputs) inputs")
        }
        units = w.shape[0]
        let weights = try LSTMWeights(tensors, try node.input(1), rows: units, columns: inputs, role: "weights", node: node)
        let recurrent = try LSTMWeights(tensors, try node.input(2), rows: units, columns: units, role: "recurrent weights", node: node)
        guard weights.isQuantized == recurrent.isQuantized else { throw node.unsupported("float and int8 weights mixed") }
        self.weights = weights
        self.recurrent = recurrent
        let b = tensors[try node.input(3)]
        guard b.type == .float32, b.elementCount == units, b.isConstant, let data = b.data else {
            throw node.unsupported("the bias must be a float32 constant of \(units) values")
        }
        bias = UnsafePointer(data.assumingMemoryBound(to: Float.self))
        let state = tensors[try node.input(4)]
        guard state.isVariableTensor, state.type == .float32, state.elementCount == batches * units else {
            throw node.invalid("the hidden state must be a float32 variable tensor of \(batches * units) values, got \(state.type) \(state.shape)")
        }
        walk = SequenceWalk(time: time, batches: batches, timeMajor: timeMajor)
        let output = try node.output(0)
        tensors[output].type = .float32
        tensors[output].shape = timeMajor ? [time, batches, units] : [batches, time, units]
        try tensors.checkWork(time, batches, units, inputs + units, node: node)
        if weights.isQuantized {
            scratch = (try tensors.allocatePersistent(byteCount: 4 * batches).bindMemory(to: Float.self, capacity: batches),
                       try tensors.allocatePersistent(byteCount: 4 * batches).bindMemory(to: Int32.self, capacity: batches),
                       try tensors.allocatePersistent(byteCount: batches * max(inputs, units)).bindMemory(to: Int8.self, capacity: batches * max(inputs, units)))
        } else {
            scratch = nil
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let weights, let recurrent, let bias, let input = tensors[try node.input(0)].data,
              let output = tensors[try node.output(0)].data, let state = tensors[try node.input(4)].data else {
            throw node.failure("not prepared")
        }
        let x = UnsafePointer(input.assumingMemoryBound(to: Float.self))
        let y = output.assumingMemoryBound(to: Float.self)
        let h = state.assumingMemoryBound(to: Float.self)
        let (inputs, units, activation, asymmetric, scratch) = (inputs, units, activation, asymmetricInputs, scratch)
        walk.forEachStep { row, rows, stateRow in
            let out = y + row * units
            let hidden = h + stateRow * units
            for r in 0..<rows { (out + r * units).update(from: bias, count: units) }
            if let scratch {
                let zeroPoints = asymmetric ? scratch.zeroPoints : nil
                if RecurrentMath.quantizeRows(x + row * inputs, count: inputs, batches: rows, asymmetric: asymmetric,
                                              into: scratch.quantized, scales: scratch.scales, zeroPoints: scratch.zeroPoints) {
                    weights.accumulate(quantized: scratch.quantized, scaling: scratch.scales, zeroPoints: zeroPoints, batches: rows, into: out)
                }
                if RecurrentMath.quantizeRows(hidden, count: units, batches: rows, asymmetric: asymmetric,
                                              into: scratch.quantized, scales: scratch.scales, zeroPoints: scratch.zeroPoints) {
                    recurrent.accumulate(quantized: scratch.quantized, scaling: scratch.scales, zeroPoints: zeroPoints, batches: rows, into: out)
                }
            } else {
                weights.accumulate(x + row * inputs, batches: rows, into: out)
                recurrent.accumulate(hidden, batches: rows, into: out)
            }
            for i in 0..<(rows * units) { out[i] = RecurrentMath.activate(activation, out[i]) }
            hidden.update(from: out, count: rows * units)
        }
    }
}
