import TFLiteModel

/// UNIDIRECTIONAL_SEQUENCE_LSTM (Keras 2 `LSTM` converts to it): float32 weights, int8 weights
/// with float activations (hybrid, dynamic-range quantization), or fully int8 (int8 input,
/// weights and output state, int16 cell state, the scales the converter records on the
/// operator's intermediates), as LiteRT evaluates each.
///
/// Inputs, as the schema numbers them: 0 the sequence (`[time, batch, input]` when
/// `time_major`, else `[batch, time, input]`); 1–4 input-to-{input, forget, cell, output}
/// weights `[cells, input]` (no input gate: CIFG, input gate = 1 − forget gate); 5–8 the
/// recurrent weights `[cells, outputs]`; 9–11 optional peepholes `[cells]`; 12–15 gate biases
/// `[cells]`; 16–17 optional projection `[outputs, cells]` and its bias; 18–19 the output and
/// cell states (variable tensors, kept between runs as LiteRT keeps them); 20–23 optional
/// layer-norm coefficients. The step itself is ``LSTMCell`` (float, hybrid) or
/// ``IntegerLSTM`` (int8, with int16 peepholes and layer-norm coefficients).
final class UnidirectionalSequenceLSTMKernel: Kernel {
    private let node: Node
    private let options: UnidirectionalSequenceLSTMOptions
    private let settings: LSTMCell.Settings
    private var walk = SequenceWalk(time: 0, batches: 0, timeMajor: false)
    private var widths = (inputs: 0, cells: 0, outputs: 0)
    private var cell: LSTMCell?
    private var integer: (lstm: IntegerLSTM, workspace: IntegerLSTM.Workspace)?

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 20...24, outputs: 1...1)
        options = try node.options(expecting: UnidirectionalSequenceLSTMOptions.self)
        self.node = node
        settings = try LSTMCell.Settings(node, activation: options.fusedActivationFunction, cellClip: options.cellClip,
                                         projectionClip: options.projClip, asymmetricInputs: options.asymmetricQuantizeInputs)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let timeMajor = options.timeMajor
        guard input.type == .float32 || input.type == .int8, input.shape.count == 3 else {
            throw node.unsupported("input must be float32 or int8 [\(timeMajor ? "time, batch" : "batch, time"), features], got \(input.type) \(input.shape)")
        }
        let time = timeMajor ? input.shape[0] : input.shape[1]
        let batches = timeMajor ? input.shape[1] : input.shape[0]
        let inputs = input.shape[2]
        let (cells, outputs) = try LSTMCell.cells(node, tensors, .unidirectional)
        guard inputs > 0 else { throw node.invalid("needs at least one input feature") }
        walk = SequenceWalk(time: time, batches: batches, timeMajor: timeMajor)
        widths = (inputs, cells, outputs)
        let output = try node.output(0)
        if input.type == .int8 {
            let lstm = try IntegerLSTM(node, tensors, inputs: inputs, cells: cells, outputs: outputs, batches: batches, options: options)
            integer = (lstm, try IntegerLSTM.Workspace(tensors, batches: batches, cells: cells))
            cell = nil
            tensors[output].type = .int8
        } else {
            cell = try LSTMCell(node, tensors, .unidirectional, inputs: inputs, batches: batches, settings: settings)
            integer = nil
            tensors[output].type = .float32
        }
        tensors[output].shape = timeMajor ? [time, batches, outputs] : [batches, time, outputs]
        try tensors.checkWork(time, batches, 4 * cells + outputs, inputs + outputs + cells, node: node)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let input = tensors[try node.input(0)].data, let output = tensors[try node.output(0)].data,
              let outputState = tensors[try node.input(18)].data, let cellState = tensors[try node.input(19)].data else {
            throw node.failure("not prepared")
        }
        let (inputs, cells, outputs) = widths
        if let cell {
            let x = input.assumingMemoryBound(to: Float.self)
            let y = output.assumingMemoryBound(to: Float.self)
            let h = outputState.assumingMemoryBound(to: Float.self)
            let c = cellState.assumingMemoryBound(to: Float.self)
            walk.forEachStep { row, rows, state in
                cell.step(x + row * inputs, batches: rows, h: h + state * outputs, c: c + state * cells)
                SequenceWalk.copy(h + state * outputs, rows: rows, width: outputs, into: y + row * outputs, stride: outputs, offset: 0)
            }
        } else if let integer {
            let x = input.assumingMemoryBound(to: Int8.self)
            let y = output.assumingMemoryBound(to: Int8.self)
            let h = outputState.assumingMemoryBound(to: Int8.self)
            let c = cellState.assumingMemoryBound(to: Int16.self)
            walk.forEachStep { row, rows, state in
                integer.lstm.step(x + row * inputs, batches: rows, h: h + state * outputs, c: c + state * cells, integer.workspace)
                SequenceWalk.copy(h + state * outputs, rows: rows, width: outputs, into: y + row * outputs, stride: outputs, offset: 0)
            }
        } else {
            throw node.failure("not prepared")
        }
    }
}
