import Foundation
import TFLiteModel

/// UNIDIRECTIONAL_SEQUENCE_LSTM (Keras 2 `LSTM` converts to it): float32 weights, or int8
/// weights with float activations (hybrid, dynamic-range quantization), as LiteRT's float and
/// hybrid LSTM evaluation compute it.
///
/// Inputs, as the schema numbers them: 0 the sequence (`[time, batch, input]` when
/// `time_major`, else `[batch, time, input]`); 1–4 input-to-{input, forget, cell, output}
/// weights `[cells, input]` (no input gate: CIFG, input gate = 1 − forget gate); 5–8 the
/// recurrent weights `[cells, outputs]`; 9–11 optional peepholes `[cells]`; 12–15 gate biases
/// `[cells]`; 16–17 optional projection `[outputs, cells]` and its bias; 18–19 the output and
/// cell states (variable tensors, kept between runs as LiteRT keeps them); 20–23 optional
/// layer-norm coefficients. Each step: every gate is bias + W·x + R·h (+ peephole ⊙ c), layer
/// normalized when asked, sigmoid (the cell gate: the fused activation); c = f ⊙ c + i ⊙ g,
/// clipped at `cell_clip`; h = o ⊙ act(c), projected and clipped at `proj_clip` when asked.
/// The full-integer (int8/int16) LSTM is not supported.
final class UnidirectionalSequenceLSTMKernel: Kernel {
    private let node: Node
    private let activation: FusedActivation
    private let cellClip: Float
    private let projectionClip: Float
    private let timeMajor: Bool
    private let asymmetricInputs: Bool
    private var geometry = (time: 0, batches: 0, inputs: 0, cells: 0, outputs: 0)
    private var inputWeights: [LSTMWeights?] = []
    private var recurrentWeights: [LSTMWeights] = []
    private var peepholes: [LSTMWeights?] = []
    private var biases: [UnsafePointer<Float>] = []
    private var layerNorms: [LSTMWeights?] = []
    private var projection: LSTMWeights?
    private var projectionBias: UnsafePointer<Float>?
    private var hybrid = false
    private var workspace: Workspace?

    /// Per-step scratch, allocated at prepare for the largest step (`run` allocates nothing).
    private struct Workspace {
        /// The four gates, `batches × cells` each, one after another.
        let gates: UnsafeMutablePointer<Float>
        /// o ⊙ act(c) before the projection.
        let cellOutput: UnsafeMutablePointer<Float>
        /// Hybrid: per-row scales and zero points of the quantized x (also the projection's
        /// input) and h, and the quantized rows themselves.
        let xScales: UnsafeMutablePointer<Float>
        let hScales: UnsafeMutablePointer<Float>
        let xZeroPoints: UnsafeMutablePointer<Int32>
        let hZeroPoints: UnsafeMutablePointer<Int32>
        let xQuantized: UnsafeMutablePointer<Int8>
        let hQuantized: UnsafeMutablePointer<Int8>

        init(_ tensors: TensorTable, batches: Int, cells: Int, width: Int) throws(InterpreterError) {
            func floats(_ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Float> {
                try tensors.allocatePersistent(byteCount: count * 4).bindMemory(to: Float.self, capacity: count)
            }
            func ints(_ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Int32> {
                try tensors.allocatePersistent(byteCount: count * 4).bindMemory(to: Int32.self, capacity: count)
            }
            func bytes(_ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Int8> {
                try tensors.allocatePersistent(byteCount: count).bindMemory(to: Int8.self, capacity: count)
            }
            gates = try floats(4 * batches * cells)
            cellOutput = try floats(batches * cells)
            xScales = try floats(batches)
            hScales = try floats(batches)
            xZeroPoints = try ints(batches)
            hZeroPoints = try ints(batches)
            xQuantized = try bytes(batches * width)
            hQuantized = try bytes(batches * width)
        }
    }

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 20...24, outputs: 1...1)
        let options = try node.options(expecting: UnidirectionalSequenceLSTMOptions.self)
        self.node = node
        // LSTMs apply their activation as a function (TANH usually), not as a clamp.
        guard let kind = FusedActivation(rawValue: options.fusedActivationFunction) else {
            throw node.unsupported("fused activation \(options.fusedActivationFunction)")
        }
        activation = kind
        cellClip = options.cellClip
        projectionClip = options.projClip
        timeMajor = options.timeMajor
        asymmetricInputs = options.asymmetricQuantizeInputs
        guard cellClip >= 0, projectionClip >= 0, cellClip.isFinite, projectionClip.isFinite else {
            throw node.invalid("clip values must be finite and not negative")
        }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        guard input.type == .float32, input.shape.count == 3 else {
            throw node.unsupported("input must be float32 [\(timeMajor ? "time, batch" : "batch, time"), features], got \(input.type) \(input.shape)")
        }
        let time = timeMajor ? input.shape[0] : input.shape[1]
        let batches = timeMajor ? input.shape[1] : input.shape[0]
        let inputs = input.shape[2]
        let forget = tensors[try node.input(2)]
        guard forget.shape.count == 2, forget.shape[1] == inputs else { throw node.invalid("input-to-forget weights \(forget.shape) do not take \(inputs) inputs") }
        let cells = forget.shape[0]
        let recurrent = tensors[try node.input(6)]
        guard recurrent.shape.count == 2, recurrent.shape[0] == cells else { throw node.invalid("recurrent-to-forget weights \(recurrent.shape) do not fit \(cells) cells") }
        let outputs = recurrent.shape[1]
        guard cells > 0, outputs > 0, inputs > 0 else { throw node.invalid("needs at least one input, cell and output, got \(inputs), \(cells), \(outputs)") }
        geometry = (time, batches, inputs, cells, outputs)

        func matrix(_ position: Int, rows: Int, columns: Int, _ role: String) throws(InterpreterError) -> LSTMWeights? {
            guard let index = node.optionalInput(position) else { return nil }
            return try LSTMWeights(tensors, index, rows: rows, columns: columns, role: role, node: node)
        }
        let gates = ["input", "forget", "cell", "output"]
        inputWeights = try (0..<4).map { gate throws(InterpreterError) in try matrix(1 + gate, rows: cells, columns: inputs, "\(gates[gate])-gate input weights") }
        let recurrentMatrices = try (0..<4).map { gate throws(InterpreterError) in try matrix(5 + gate, rows: cells, columns: outputs, "\(gates[gate])-gate recurrent weights") }
        guard inputWeights[1] != nil, inputWeights[2] != nil, inputWeights[3] != nil else { throw node.invalid("the forget, cell and output gates need input weights") }
        let cifg = inputWeights[0] == nil
        guard (recurrentMatrices[0] == nil) == cifg, let recurrentForget = recurrentMatrices[1], let recurrentCell = recurrentMatrices[2],
              let recurrentOutput = recurrentMatrices[3] else {
            throw node.invalid("recurrent weights must be present for the gates that have input weights")
        }
        recurrentWeights = [recurrentMatrices[0] ?? recurrentForget, recurrentForget, recurrentCell, recurrentOutput]
        peepholes = try [9, 10, 11].map { position throws(InterpreterError) in try matrix(position, rows: cells, columns: 1, "peephole weights") }
        peepholes.insert(nil, at: 2)  // the cell gate has none: gates are [input, forget, cell, output]
        layerNorms = try (0..<4).map { gate throws(InterpreterError) in
            node.inputs.count > 20 + gate ? try matrix(20 + gate, rows: cells, columns: 1, "\(gates[gate])-gate layer-norm weights") : nil
        }
        biases = []
        for gate in 0..<4 {
            // The absent input gate (CIFG) takes the forget gate's bias as a placeholder, never read.
            let index = try node.input(12 + (gate == 0 && cifg ? 1 : gate))
            let bias = tensors[index]
            guard bias.type == .float32, bias.elementCount == cells, bias.isConstant, let data = bias.data else {
                throw node.unsupported("the \(gates[gate]) gate bias must be a float32 constant of \(cells) values")
            }
            biases.append(UnsafePointer(data.assumingMemoryBound(to: Float.self)))
        }
        projection = try matrix(16, rows: outputs, columns: cells, "projection weights")
        if projection == nil, outputs != cells { throw node.invalid("\(outputs) outputs need projection weights from \(cells) cells") }
        if let index = node.optionalInput(17) {
            let bias = tensors[index]
            guard bias.type == .float32, bias.elementCount == outputs, bias.isConstant, let data = bias.data else {
                throw node.unsupported("the projection bias must be a float32 constant of \(outputs) values")
            }
            projectionBias = UnsafePointer(data.assumingMemoryBound(to: Float.self))
        } else {
            projectionBias = nil
        }
        let all = inputWeights.compactMap { $0 } + recurrentWeights + [projection].compactMap { $0 }
        hybrid = all.contains { $0.isQuantized }
        guard all.allSatisfy({ $0.isQuantized == hybrid }) else { throw node.unsupported("float and int8 weights mixed") }
        for (position, count) in [(18, batches * outputs), (19, batches * cells)] {
            let state = tensors[try node.input(position)]
            guard state.isVariableTensor, state.type == .float32, state.elementCount == count else {
                throw node.invalid("state \(position) must be a float32 variable tensor of \(count) values, got \(state.type) \(state.shape)")
            }
        }
        let output = try node.output(0)
        tensors[output].type = .float32
        tensors[output].shape = timeMajor ? [time, batches, outputs] : [batches, time, outputs]
        try tensors.checkWork(time, batches, 4 * cells + outputs, inputs + outputs + cells, node: node)
        workspace = try Workspace(tensors, batches: batches, cells: cells, width: max(inputs, outputs, cells))
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let workspace, let input = tensors[try node.input(0)].data, let output = tensors[try node.output(0)].data,
              let outputState = tensors[try node.input(18)].data, let cellState = tensors[try node.input(19)].data else {
            throw node.failure("not prepared")
        }
        let g = geometry
        let x = input.assumingMemoryBound(to: Float.self)
        let y = output.assumingMemoryBound(to: Float.self)
        let h = outputState.assumingMemoryBound(to: Float.self)
        let c = cellState.assumingMemoryBound(to: Float.self)
        if timeMajor {
            for t in 0..<g.time {
                step(x + t * g.batches * g.inputs, batches: g.batches, h: h, c: c, workspace)
                (y + t * g.batches * g.outputs).update(from: h, count: g.batches * g.outputs)
            }
        } else {
            // Batch-major: each sequence runs on its own (its states are its rows).
            for b in 0..<g.batches {
                for t in 0..<g.time {
                    step(x + (b * g.time + t) * g.inputs, batches: 1, h: h + b * g.outputs, c: c + b * g.cells, workspace)
                    (y + (b * g.time + t) * g.outputs).update(from: h + b * g.outputs, count: g.outputs)
                }
            }
        }
    }

    /// One time step for `batches` rows: gates from x and the states, then the new states.
    private func step(_ x: UnsafePointer<Float>, batches: Int, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
                      _ w: Workspace) {
        let g = geometry
        let n = batches * g.cells
        func gate(_ k: Int) -> UnsafeMutablePointer<Float> { w.gates + k * n }
        let cifg = inputWeights[0] == nil
        // Hybrid: x and h quantized once per step, per batch row (skipped when all zero, as LiteRT does).
        let xq = hybrid && quantize(x, count: g.inputs, batches: batches, into: w.xQuantized, scales: w.xScales, zeroPoints: w.xZeroPoints)
        let hq = hybrid && quantize(h, count: g.outputs, batches: batches, into: w.hQuantized, scales: w.hScales, zeroPoints: w.hZeroPoints)
        let hasLayerNorm = layerNorms.contains { $0 != nil }
        for k in 0..<4 where !(k == 0 && cifg) {
            for b in 0..<batches {
                let row = gate(k) + b * g.cells
                if hasLayerNorm { row.update(repeating: 0, count: g.cells) } else { row.update(from: biases[k], count: g.cells) }
            }
            if k == 3 { continue }  // the output gate needs the new cell state (peephole)
            accumulateGate(k, x: x, h: h, c: c, batches: batches, xQuantized: xq, hQuantized: hq, w, into: gate(k))
        }
        // The new cell state: c = f ⊙ c + i ⊙ g (CIFG: i = 1 − f).
        for i in 0..<n {
            let forget = gate(1)[i]
            let input = cifg ? 1 - forget : gate(0)[i]
            var value = forget * c[i] + gate(2)[i] * input
            if cellClip > 0 { value = min(max(value, -cellClip), cellClip) }
            c[i] = value
        }
        accumulateGate(3, x: x, h: h, c: c, batches: batches, xQuantized: xq, hQuantized: hq, w, into: gate(3))
        for i in 0..<n { w.cellOutput[i] = apply(activation, c[i]) * gate(3)[i] }
        guard let projection else {
            h.update(from: w.cellOutput, count: n)
            return
        }
        for b in 0..<batches {
            if let projectionBias { (h + b * g.outputs).update(from: projectionBias, count: g.outputs) } else { (h + b * g.outputs).update(repeating: 0, count: g.outputs) }
        }
        if hybrid {
            // The x buffers are free again: the projection's input goes through them.
            if quantize(w.cellOutput, count: g.cells, batches: batches, into: w.xQuantized, scales: w.xScales, zeroPoints: w.xZeroPoints) {
                projection.accumulate(quantized: w.xQuantized, scaling: w.xScales, zeroPoints: asymmetricInputs ? w.xZeroPoints : nil,
                                      batches: batches, into: h)
            }
        } else {
            projection.accumulate(w.cellOutput, batches: batches, into: h)
        }
        if projectionClip > 0 {
            for i in 0..<(batches * g.outputs) { h[i] = min(max(h[i], -projectionClip), projectionClip) }
        }
    }

    /// Adds W·x + R·h (+ peephole ⊙ c) to gate `gate`, normalizes it when the LSTM has layer norm,
    /// then applies its activation.
    private func accumulateGate(_ gate: Int, x: UnsafePointer<Float>, h: UnsafePointer<Float>, c: UnsafePointer<Float>, batches: Int,
                                xQuantized: Bool, hQuantized: Bool, _ w: Workspace, into out: UnsafeMutablePointer<Float>) {
        let g = geometry
        if let weights = inputWeights[gate] {
            if !hybrid {
                weights.accumulate(x, batches: batches, into: out)
            } else if xQuantized {
                weights.accumulate(quantized: w.xQuantized, scaling: w.xScales, zeroPoints: asymmetricInputs ? w.xZeroPoints : nil,
                                   batches: batches, into: out)
            }
        }
        let recurrent = recurrentWeights[gate]
        if !hybrid {
            recurrent.accumulate(h, batches: batches, into: out)
        } else if hQuantized {
            recurrent.accumulate(quantized: w.hQuantized, scaling: w.hScales, zeroPoints: asymmetricInputs ? w.hZeroPoints : nil,
                                 batches: batches, into: out)
        }
        if let peephole = peepholes[gate] {
            for b in 0..<batches {
                for i in 0..<g.cells { out[b * g.cells + i] += peephole.element(i) * c[b * g.cells + i] }
            }
        }
        if let norm = layerNorms[gate] {
            for b in 0..<batches {
                let row = out + b * g.cells
                var sum: Float = 0, squares: Float = 0
                for i in 0..<g.cells { sum += row[i]; squares += row[i] * row[i] }
                let mean = sum / Float(g.cells)
                let variance = squares / Float(g.cells) - mean * mean
                let inverse = 1 / (variance + 1e-8).squareRoot()
                for i in 0..<g.cells { row[i] = (row[i] - mean) * inverse * norm.element(i) + biases[gate][i] }
            }
        }
        for i in 0..<(batches * g.cells) { out[i] = gate == 2 ? apply(activation, out[i]) : 1 / (1 + Foundation.exp(-out[i])) }
    }

    /// Quantizes `batches` rows of `count` values per row (LiteRT's hybrid input quantization);
    /// false when every value is zero (the product is skipped).
    private func quantize(_ values: UnsafePointer<Float>, count: Int, batches: Int, into output: UnsafeMutablePointer<Int8>,
                          scales: UnsafeMutablePointer<Float>, zeroPoints: UnsafeMutablePointer<Int32>?) -> Bool {
        guard (0..<(count * batches)).contains(where: { values[$0] != 0 }) else { return false }
        for b in 0..<batches {
            if asymmetricInputs {
                let (scale, zero) = HybridQuantizer.asymmetric(values + b * count, count: count, into: output + b * count)
                scales[b] = scale
                zeroPoints?[b] = zero
            } else {
                scales[b] = HybridQuantizer.symmetric(values + b * count, count: count, into: output + b * count)
                zeroPoints?[b] = 0
            }
        }
        return true
    }

    private func apply(_ activation: FusedActivation, _ value: Float) -> Float {
        switch activation {
        case .tanh: Foundation.tanh(value)
        case .relu: max(0, value)
        case .relu6: min(max(0, value), 6)
        case .reluN1To1: min(max(-1, value), 1)
        case .signBit: value < 0 ? -1 : (value > 0 ? 1 : 0)
        default: value
        }
    }
}
