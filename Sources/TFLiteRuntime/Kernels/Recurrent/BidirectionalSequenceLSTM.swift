import TFLiteModel

/// BIDIRECTIONAL_SEQUENCE_LSTM: two LSTMs over one sequence, the forward one in time order and
/// the backward one in reverse, float32 or hybrid (int8 weights), each step as ``LSTMCell``.
///
/// Inputs (48, as the schema numbers them): 0 the sequence (`[time, batch, input]` when
/// `time_major`, the default here, else `[batch, time, input]`); 1–17 the forward direction's
/// weights, peepholes, biases and projection in the unidirectional LSTM's order; 18–34 the
/// backward direction's; 35–38 the forward output and cell states, then the backward ones
/// (variable tensors); 39 an auxiliary input and 40–47 its weights, which this kernel refuses
/// (LiteRT's stacking of bidirectional layers). Outputs: the forward and backward sequences,
/// or one sequence of both concatenated per step when `merge_outputs`.
final class BidirectionalSequenceLSTMKernel: Kernel {
    private let node: Node
    private let options: BidirectionalSequenceLSTMOptions
    private let settings: LSTMCell.Settings
    private var forward: (cell: LSTMCell, walk: SequenceWalk, cells: Int, outputs: Int)?
    private var backward: (cell: LSTMCell, walk: SequenceWalk, cells: Int, outputs: Int)?
    private var inputs = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 48...48, outputs: 1...2)
        options = try node.options(expecting: BidirectionalSequenceLSTMOptions.self)
        self.node = node
        settings = try LSTMCell.Settings(node, activation: options.fusedActivationFunction, cellClip: options.cellClip,
                                         projectionClip: options.projClip, asymmetricInputs: options.asymmetricQuantizeInputs)
        guard node.outputs.count == (options.mergeOutputs ? 1 : 2) else {
            throw node.invalid("\(node.outputs.count) outputs, expected \(options.mergeOutputs ? 1 : 2) with merge_outputs \(options.mergeOutputs)")
        }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        for position in 39..<48 where node.optionalInput(position) != nil {
            throw node.unsupported("auxiliary input or weights (input \(position))")
        }
        let input = tensors[try node.input(0)]
        let timeMajor = options.timeMajor
        guard input.type == .float32, input.shape.count == 3 else {
            throw node.unsupported("input must be float32 [\(timeMajor ? "time, batch" : "batch, time"), features], got \(input.type) \(input.shape)")
        }
        let time = timeMajor ? input.shape[0] : input.shape[1]
        let batches = timeMajor ? input.shape[1] : input.shape[0]
        inputs = input.shape[2]
        let fw = try LSTMCell.cells(node, tensors, .forward)
        let bw = try LSTMCell.cells(node, tensors, .backward)
        let walk = SequenceWalk(time: time, batches: batches, timeMajor: timeMajor)
        var reversed = walk
        reversed.reversed = true
        forward = (try LSTMCell(node, tensors, .forward, inputs: inputs, batches: batches, settings: settings), walk, fw.cells, fw.outputs)
        backward = (try LSTMCell(node, tensors, .backward, inputs: inputs, batches: batches, settings: settings), reversed, bw.cells, bw.outputs)
        let shape = { (width: Int) in timeMajor ? [time, batches, width] : [batches, time, width] }
        let first = try node.output(0)
        tensors[first].type = .float32
        if options.mergeOutputs {
            tensors[first].shape = shape(fw.outputs + bw.outputs)
        } else {
            tensors[first].shape = shape(fw.outputs)
            let second = try node.output(1)
            tensors[second].type = .float32
            tensors[second].shape = shape(bw.outputs)
        }
        try tensors.checkWork(2, time, batches, 4 * max(fw.cells, bw.cells) + max(fw.outputs, bw.outputs),
                              inputs + max(fw.outputs, bw.outputs) + max(fw.cells, bw.cells), node: node)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let forward, let backward, let input = tensors[try node.input(0)].data, let first = tensors[try node.output(0)].data else {
            throw node.failure("not prepared")
        }
        let x = UnsafePointer(input.assumingMemoryBound(to: Float.self))
        let merged = options.mergeOutputs
        let stride = merged ? forward.outputs + backward.outputs : forward.outputs
        let forwardOutput = first.assumingMemoryBound(to: Float.self)
        let backwardOutput: UnsafeMutablePointer<Float>
        if merged {
            backwardOutput = forwardOutput
        } else {
            guard let second = tensors[try node.output(1)].data else { throw node.failure("not prepared") }
            backwardOutput = second.assumingMemoryBound(to: Float.self)
        }
        let directions = [(forward, LSTMLayout.forward, forwardOutput, stride, 0),
                          (backward, LSTMLayout.backward, backwardOutput, merged ? stride : backward.outputs, merged ? forward.outputs : 0)]
        for ((cell, walk, cells, outputs), layout, y, rowStride, offset) in directions {
            guard let hData = tensors[try node.input(layout.outputState)].data, let cData = tensors[try node.input(layout.cellState)].data else {
                throw node.failure("not prepared")
            }
            let h = hData.assumingMemoryBound(to: Float.self)
            let c = cData.assumingMemoryBound(to: Float.self)
            let width = inputs
            walk.forEachStep { row, rows, state in
                cell.step(x + row * width, batches: rows, h: h + state * outputs, c: c + state * cells)
                SequenceWalk.copy(h + state * outputs, rows: rows, width: outputs, into: y + row * rowStride, stride: rowStride, offset: offset)
            }
        }
    }
}
