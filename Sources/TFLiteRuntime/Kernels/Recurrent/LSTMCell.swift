#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// Where one LSTM direction's tensors sit among an operator's inputs: UNIDIRECTIONAL_SEQUENCE_LSTM
/// numbers them 1–23, BIDIRECTIONAL_SEQUENCE_LSTM has a forward and a backward set.
struct LSTMLayout {
    /// First of the four input-to-gate weights (gates in the order input, forget, cell, output).
    var inputWeights: Int
    var recurrentWeights: Int
    /// First of the three peepholes (input, forget, output).
    var peepholes: Int
    var biases: Int
    var projection: Int
    var projectionBias: Int
    var outputState: Int
    var cellState: Int
    /// First of the four layer-norm coefficient vectors, when the operator has them.
    var layerNorms: Int?

    static let unidirectional = LSTMLayout(inputWeights: 1, recurrentWeights: 5, peepholes: 9, biases: 12, projection: 16,
                                           projectionBias: 17, outputState: 18, cellState: 19, layerNorms: 20)
    static let forward = LSTMLayout(inputWeights: 1, recurrentWeights: 5, peepholes: 9, biases: 12, projection: 16,
                                    projectionBias: 17, outputState: 35, cellState: 36, layerNorms: nil)
    static let backward = LSTMLayout(inputWeights: 18, recurrentWeights: 22, peepholes: 26, biases: 29, projection: 33,
                                     projectionBias: 34, outputState: 37, cellState: 38, layerNorms: nil)
}

/// One direction of a float32 or hybrid LSTM (int8 weights, float activations), as LiteRT's
/// float and hybrid LSTM evaluation compute a step. Each step: every gate is bias + W·x + R·h
/// (+ peephole ⊙ c), layer normalized when asked, sigmoid (the cell gate: the fused activation);
/// c = f ⊙ c + i ⊙ g, clipped at `cell_clip`; h = o ⊙ act(c), projected and clipped at
/// `proj_clip` when asked. Hybrid steps quantize x and h per batch row (asymmetrically when the
/// options say so) and skip a product whose input is all zeros, as LiteRT does.
struct LSTMCell {
    struct Settings {
        var activation: FusedActivation
        var cellClip: Float
        var projectionClip: Float
        var asymmetricInputs: Bool

        /// The options of `node` checked: clips finite and not negative, a known activation
        /// (LSTMs apply it as a function, TANH usually, not as a clamp).
        init(_ node: Node, activation raw: Int8, cellClip: Float, projectionClip: Float, asymmetricInputs: Bool) throws(InterpreterError) {
            guard cellClip >= 0, projectionClip >= 0, cellClip.isFinite, projectionClip.isFinite else {
                throw node.invalid("clip values must be finite and not negative")
            }
            guard let activation = FusedActivation(rawValue: raw) else { throw node.unsupported("fused activation \(raw)") }
            self.activation = activation
            self.cellClip = cellClip
            self.projectionClip = projectionClip
            self.asymmetricInputs = asymmetricInputs
        }
    }

    private let settings: Settings
    private let geometry: (inputs: Int, cells: Int, outputs: Int)
    private let inputWeights: [LSTMWeights?]
    private let recurrentWeights: [LSTMWeights]
    private let peepholes: [LSTMWeights?]
    private let biases: [UnsafePointer<Float>]
    private let layerNorms: [LSTMWeights?]
    private let projection: LSTMWeights?
    private let projectionBias: UnsafePointer<Float>?
    private let hybrid: Bool
    private let workspace: Workspace
    private var activation: FusedActivation { settings.activation }
    private var cellClip: Float { settings.cellClip }
    private var projectionClip: Float { settings.projectionClip }
    private var asymmetricInputs: Bool { settings.asymmetricInputs }

    /// The cell count of the direction at `layout` (rows of its input-to-forget weights).
    static func cells(_ node: Node, _ tensors: TensorTable, _ layout: LSTMLayout) throws(InterpreterError) -> (cells: Int, outputs: Int) {
        let forget = tensors[try node.input(layout.inputWeights + 1)]
        guard forget.shape.count == 2, forget.shape[0] > 0 else { throw node.invalid("input-to-forget weights have shape \(forget.shape)") }
        let recurrent = tensors[try node.input(layout.recurrentWeights + 1)]
        guard recurrent.shape.count == 2, recurrent.shape[0] == forget.shape[0], recurrent.shape[1] > 0 else {
            throw node.invalid("recurrent-to-forget weights \(recurrent.shape) do not fit \(forget.shape[0]) cells")
        }
        return (forget.shape[0], recurrent.shape[1])
    }

    /// Reads and checks the direction's weights and states for `batches` rows of `inputs` features.
    init(_ node: Node, _ tensors: TensorTable, _ layout: LSTMLayout, inputs: Int, batches: Int, settings: Settings) throws(InterpreterError) {
        self.settings = settings
        let (cells, outputs) = try Self.cells(node, tensors, layout)
        guard inputs > 0 else { throw node.invalid("needs at least one input feature") }
        geometry = (inputs, cells, outputs)
        func matrix(_ position: Int, rows: Int, columns: Int, _ role: String) throws(InterpreterError) -> LSTMWeights? {
            guard let index = node.optionalInput(position) else { return nil }
            return try LSTMWeights(tensors, index, rows: rows, columns: columns, role: role, node: node)
        }
        let gates = ["input", "forget", "cell", "output"]
        let inputWeights = try (0..<4).map { gate throws(InterpreterError) in
            try matrix(layout.inputWeights + gate, rows: cells, columns: inputs, "\(gates[gate])-gate input weights")
        }
        let recurrentMatrices = try (0..<4).map { gate throws(InterpreterError) in
            try matrix(layout.recurrentWeights + gate, rows: cells, columns: outputs, "\(gates[gate])-gate recurrent weights")
        }
        guard inputWeights[1] != nil, inputWeights[2] != nil, inputWeights[3] != nil else { throw node.invalid("the forget, cell and output gates need input weights") }
        let cifg = inputWeights[0] == nil
        guard (recurrentMatrices[0] == nil) == cifg, let recurrentForget = recurrentMatrices[1], let recurrentCell = recurrentMatrices[2],
              let recurrentOutput = recurrentMatrices[3] else {
            throw node.invalid("recurrent weights must be present for the gates that have input weights")
        }
        self.inputWeights = inputWeights
        recurrentWeights = [recurrentMatrices[0] ?? recurrentForget, recurrentForget, recurrentCell, recurrentOutput]
        var peepholes = try (0..<3).map { k throws(InterpreterError) in try matrix(layout.peepholes + k, rows: cells, columns: 1, "peephole weights") }
        peepholes.insert(nil, at: 2)  // the cell gate has none: gates are [input, forget, cell, output]
        self.peepholes = peepholes
        layerNorms = try (0..<4).map { gate throws(InterpreterError) in
            guard let first = layout.layerNorms, node.inputs.count > first + gate else { return nil }
            return try matrix(first + gate, rows: cells, columns: 1, "\(gates[gate])-gate layer-norm weights")
        }
        var biases: [UnsafePointer<Float>] = []
        for gate in 0..<4 {
            // The absent input gate (CIFG) takes the forget gate's bias as a placeholder, never read.
            let index = try node.input(layout.biases + (gate == 0 && cifg ? 1 : gate))
            let bias = tensors[index]
            guard bias.type == .float32, bias.elementCount == cells, bias.isConstant, let data = bias.data else {
                throw node.unsupported("the \(gates[gate]) gate bias must be a float32 constant of \(cells) values")
            }
            biases.append(UnsafePointer(data.assumingMemoryBound(to: Float.self)))
        }
        self.biases = biases
        let projection = try matrix(layout.projection, rows: outputs, columns: cells, "projection weights")
        if projection == nil, outputs != cells { throw node.invalid("\(outputs) outputs need projection weights from \(cells) cells") }
        self.projection = projection
        if let index = node.optionalInput(layout.projectionBias) {
            let bias = tensors[index]
            guard bias.type == .float32, bias.elementCount == outputs, bias.isConstant, let data = bias.data else {
                throw node.unsupported("the projection bias must be a float32 constant of \(outputs) values")
            }
            projectionBias = UnsafePointer(data.assumingMemoryBound(to: Float.self))
        } else {
            projectionBias = nil
        }
        let all = inputWeights.compactMap { $0 } + recurrentWeights + [projection].compactMap { $0 }
        let hybrid = all.contains { $0.isQuantized }
        guard all.allSatisfy({ $0.isQuantized == hybrid }) else { throw node.unsupported("float and int8 weights mixed") }
        self.hybrid = hybrid
        for (position, count) in [(layout.outputState, batches * outputs), (layout.cellState, batches * cells)] {
            let state = tensors[try node.input(position)]
            guard state.isVariableTensor, state.type == .float32, state.elementCount == count else {
                throw node.invalid("state \(position) must be a float32 variable tensor of \(count) values, got \(state.type) \(state.shape)")
            }
        }
        workspace = try Workspace(tensors, batches: batches, cells: cells, width: max(inputs, outputs, cells))
    }

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

    /// One time step for `batches` rows: gates from x and the states, then the new states.
    func step(_ x: UnsafePointer<Float>, batches: Int, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>) {
        let w = workspace
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
        for i in 0..<(batches * g.cells) { out[i] = gate == 2 ? apply(activation, out[i]) : 1 / (1 + exp(-out[i])) }
    }

    private func quantize(_ values: UnsafePointer<Float>, count: Int, batches: Int, into output: UnsafeMutablePointer<Int8>,
                          scales: UnsafeMutablePointer<Float>, zeroPoints: UnsafeMutablePointer<Int32>?) -> Bool {
        RecurrentMath.quantizeRows(values, count: count, batches: batches, asymmetric: asymmetricInputs, into: output, scales: scales, zeroPoints: zeroPoints)
    }

    private func apply(_ activation: FusedActivation, _ value: Float) -> Float { RecurrentMath.activate(activation, value) }
}
