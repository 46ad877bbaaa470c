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

/// The full-integer LSTM step (LiteRT's "8x8_16" evaluation): int8 input, weights and output
/// state, int16 cell state whose scale is a power of two, int16 gates in Q3.12 before their
/// activation and Q0.15 after. The converter records the hidden value's scale and zero point
/// on the operator's fifth `intermediates` tensor; the other four carry the gates' scales
/// before layer normalization, which only a layer-normalized LSTM reads (without it the gate
/// sums are Q3.12 by definition).
///
/// Each gate is `W·(x − x_zp) + R·(h − h_zp) + bias` requantized to the gate's scale (the
/// zero-point terms and the bias are folded into one effective bias per row at prepare; with
/// layer norm the bias is added after the normalization instead), plus the peephole term
/// `p ⊙ c` (int16 weights, the cell state's scale) when the LSTM has peepholes, then
/// ``IntegerLayerNorm`` into Q3.12 when it has layer norm, then gemmlowp's 16-bit sigmoid
/// (tanh with 3 integer bits for the cell gate). LiteRT adds the peephole term over the
/// output width of each batch row, not over the cells: with a projection to fewer outputs
/// only the first `outputs × batches` gate values of a step get one, read from the flat cell
/// state, and so here (more outputs than cells would read past the weights: refused). The
/// output gate's peephole reads the new cell state. The cell state becomes
/// `f·c >> 15 + i·g >> (30 + log2 scale)`, clipped; the hidden value `o · tanh(c)` is
/// requantized to int8 and, with a projection, projected into the output state.
struct IntegerLSTM {
    private let cells: Int
    private let inputs: Int
    private let outputs: Int
    private let cifg: Bool
    private let inputWeights: [UnsafePointer<Int8>?]
    private let recurrentWeights: [UnsafePointer<Int8>?]
    /// Per gate: bias − x_zp·Σ W (input side) and −h_zp·Σ R (recurrent side).
    private let inputBiases: [[Int32]]
    private let recurrentBiases: [[Int32]]
    private let inputScales: [FixedPoint.Multiplier]
    private let recurrentScales: [FixedPoint.Multiplier]
    /// Per gate: the int16 peephole weights and their multiplier (nil: no peephole).
    private let peepholes: [(weights: UnsafePointer<Int16>, scale: FixedPoint.Multiplier)?]
    /// Per gate: the layer normalization (nil: none, or the absent CIFG input gate).
    private let layerNorms: [IntegerLayerNorm?]
    private let cellShift: Int
    private let cellClip: Int16
    private let hiddenScale: FixedPoint.Multiplier
    private let hiddenZeroPoint: Int32
    private let projection: UnsafePointer<Int8>?
    private let projectionBias: [Int32]
    private let projectionScale: FixedPoint.Multiplier
    private let projectionClip: Int8
    private let outputZeroPoint: Int32

    /// Reads and checks the weights, biases, states and intermediates of `node` (whose input is int8).
    init(_ node: Node, _ tensors: TensorTable, inputs: Int, cells: Int, outputs: Int, batches: Int,
         options: UnidirectionalSequenceLSTMOptions) throws(InterpreterError) {
        self.cells = cells
        self.inputs = inputs
        self.outputs = outputs
        let input = tensors[try node.input(0)]
        guard let inputQuantization = input.quantization, !inputQuantization.isPerChannel else {
            throw node.invalid("the int8 input needs a scale and zero point")
        }
        guard node.intermediates.count == 5 else {
            throw node.unsupported("int8 LSTM needs the converter's 5 intermediate tensors, has \(node.intermediates.count)")
        }
        let hidden = tensors[node.intermediates[4]]
        guard let hiddenQuantization = hidden.quantization, hiddenQuantization.scale > 0, hiddenQuantization.scale.isFinite else {
            throw node.invalid("intermediate 4 (the hidden state) has no scale")
        }
        let outputState = tensors[try node.input(18)]
        let cellState = tensors[try node.input(19)]
        guard outputState.isVariableTensor, outputState.type == .int8, outputState.elementCount == batches * outputs,
              let outputQuantization = outputState.quantization, outputQuantization.scale > 0, outputQuantization.scale.isFinite else {
            throw node.invalid("the output state must be an int8 variable tensor of \(batches * outputs) values with a scale")
        }
        guard cellState.isVariableTensor, cellState.type == .int16, cellState.elementCount == batches * cells,
              let cellQuantization = cellState.quantization, cellQuantization.scale > 0 else {
            throw node.invalid("the cell state must be an int16 variable tensor of \(batches * cells) values with a scale")
        }
        // LiteRT's CheckedLog2: the cell scale must be a power of two; its tanh of the cell state
        // takes 0–6 integer bits (2^-15 … 2^-9) and leaves other scales' hidden values unset.
        let log2 = log(cellQuantization.scale) * (1 / log(Float(2)))
        let rounded = log2.rounded(.toNearestOrAwayFromZero)
        guard abs(log2 - rounded) < 1e-3, (-15 ... -9).contains(Int(rounded)) else {
            throw node.unsupported("cell state scale \(cellQuantization.scale) is not a power of two between 2^-15 and 2^-9")
        }
        cellShift = Int(rounded)
        let output = tensors[try node.output(0)]
        let outputScale = output.quantization?.scale ?? outputQuantization.scale
        cellClip = options.cellClip > 0 ? Int16(min(max(options.cellClip / cellQuantization.scale, -32768), 32767)) : 0
        projectionClip = options.projClip > 0 && outputScale > 0 ? Int8(min(max(options.projClip / outputScale, -128), 127)) : 0
        guard FusedActivation(rawValue: options.fusedActivationFunction) == .tanh else {
            throw node.unsupported("int8 LSTM with cell activation \(options.fusedActivationFunction) (LiteRT's integer LSTM takes tanh)")
        }

        func weights(_ position: Int, columns: Int, rows: Int) throws(InterpreterError) -> (UnsafePointer<Int8>, Float, [Int32])? {
            guard let index = node.optionalInput(position) else { return nil }
            let tensor = tensors[index]
            guard tensor.type == .int8, tensor.shape == [rows, columns] else {
                throw node.invalid("weights \(position) must be int8 [\(rows), \(columns)], got \(tensor.type) \(tensor.shape)")
            }
            guard tensor.isConstant, let data = tensor.data, let quantization = tensor.quantization, !quantization.isPerChannel,
                  quantization.scale > 0, quantization.scale.isFinite else {
                throw node.unsupported("weights \(position) must be a constant with one scale")
            }
            let values = UnsafePointer(data.assumingMemoryBound(to: Int8.self))
            let sums = (0..<rows).map { row in (0..<columns).reduce(Int32(0)) { $0 &+ Int32(values[row * columns + $1]) } }
            return (values, quantization.scale, sums)
        }
        func bias(_ position: Int, count: Int) throws(InterpreterError) -> [Int32]? {
            guard let index = node.optionalInput(position) else { return nil }
            let tensor = tensors[index]
            guard tensor.type == .int32, tensor.elementCount == count, tensor.isConstant, let data = tensor.data else {
                throw node.invalid("bias \(position) must be an int32 constant of \(count) values")
            }
            let values = data.assumingMemoryBound(to: Int32.self)
            return (0..<count).map { values[$0] }
        }
        // int16 vectors of `cells` values with one scale: peepholes and layer-norm coefficients.
        func vector(_ position: Int, _ role: String) throws(InterpreterError) -> (UnsafePointer<Int16>, Float)? {
            guard let index = node.optionalInput(position) else { return nil }
            let tensor = tensors[index]
            guard tensor.type == .int16, tensor.shape == [cells] else {
                throw node.invalid("\(role) \(position) must be int16 [\(cells)], got \(tensor.type) \(tensor.shape)")
            }
            guard tensor.isConstant, let data = tensor.data, let quantization = tensor.quantization, !quantization.isPerChannel,
                  quantization.scale > 0, quantization.scale.isFinite else {
                throw node.unsupported("\(role) \(position) must be a constant with one scale")
            }
            return (UnsafePointer(data.assumingMemoryBound(to: Int16.self)), quantization.scale)
        }
        let cifgLayout = node.optionalInput(1) == nil
        // Peepholes: input (absent with CIFG), forget and output gates; none for the cell gate.
        let peepholeVectors = try [9, 10, nil, 11].map { position throws(InterpreterError) in
            try position.map { position throws(InterpreterError) in try vector(position, "peephole weights") } ?? nil
        }
        let usesPeephole = peepholeVectors[3] != nil
        guard (peepholeVectors[1] != nil) == usesPeephole, (peepholeVectors[0] != nil) == (usesPeephole && !cifgLayout) else {
            throw node.invalid("peephole weights 9–11 must be all present (input gate: unless CIFG) or all absent")
        }
        if usesPeephole, outputs > cells {
            throw node.unsupported("peepholes with \(outputs) outputs > \(cells) cells (LiteRT's integer peephole walks the output width)")
        }
        let layerNormVectors = try (0..<4).map { gate throws(InterpreterError) in
            node.inputs.count > 20 + gate ? try vector(20 + gate, "layer-norm coefficients") : nil
        }
        let usesLayerNorm = layerNormVectors[1] != nil
        guard (layerNormVectors[2] != nil) == usesLayerNorm, (layerNormVectors[3] != nil) == usesLayerNorm,
              (layerNormVectors[0] != nil) == (usesLayerNorm && !cifgLayout) else {
            throw node.invalid("layer-norm coefficients 20–23 must be all present (input gate: unless CIFG) or all absent")
        }
        // The gate sums' scales: the intermediates with layer norm, else Q3.12.
        let gateScales = try (0..<4).map { gate throws(InterpreterError) -> Float in
            guard usesLayerNorm else { return 1.0 / 4096.0 }
            guard let q = tensors[node.intermediates[gate]].quantization, q.scale > 0, q.scale.isFinite else {
                throw node.invalid("intermediate \(gate) (gate \(gate)'s scale before layer norm) has no scale")
            }
            return q.scale
        }
        let inputScale = inputQuantization.scale
        let stateScale = outputQuantization.scale
        var inputWeights: [UnsafePointer<Int8>?] = []
        var recurrentWeights: [UnsafePointer<Int8>?] = []
        var inputBiases: [[Int32]] = []
        var recurrentBiases: [[Int32]] = []
        var inputScales: [FixedPoint.Multiplier] = []
        var recurrentScales: [FixedPoint.Multiplier] = []
        var layerNorms: [IntegerLayerNorm?] = []
        for gate in 0..<4 {
            let gateScale = gateScales[gate]
            let w = try weights(1 + gate, columns: inputs, rows: cells)
            let r = try weights(5 + gate, columns: outputs, rows: cells)
            guard (w == nil) == (r == nil), gate == 0 || w != nil else {
                throw node.invalid("gate \(gate) needs both its input and recurrent weights")
            }
            guard let w, let r else {
                inputWeights.append(nil); recurrentWeights.append(nil)
                inputBiases.append([]); recurrentBiases.append([])
                inputScales.append(.init(multiplier: 0, shift: 0)); recurrentScales.append(.init(multiplier: 0, shift: 0))
                layerNorms.append(nil)
                continue
            }
            let b = try bias(12 + gate, count: cells) ?? Array(repeating: 0, count: cells)
            inputWeights.append(w.0)
            recurrentWeights.append(r.0)
            if let norm = layerNormVectors[gate] {
                layerNorms.append(IntegerLayerNorm(coefficients: norm.0, coefficientScale: norm.1, bias: b))
            } else {
                layerNorms.append(nil)
            }
            let folded = usesLayerNorm ? Array(repeating: 0, count: cells) : b
            inputBiases.append((0..<cells).map { folded[$0] &+ (0 &- inputQuantization.zeroPoint) &* w.2[$0] })
            recurrentBiases.append((0..<cells).map { (0 &- outputQuantization.zeroPoint) &* r.2[$0] })
            // Float products as LiteRT computes them, then QuantizeMultiplier in double.
            inputScales.append(FixedPoint.Multiplier(Double(w.1 * inputScale / gateScale)))
            recurrentScales.append(FixedPoint.Multiplier(Double(r.1 * stateScale / gateScale)))
        }
        cifg = inputWeights[0] == nil
        guard cifg == cifgLayout else { throw node.invalid("input-to-input weights without their gate") }
        // The cell state's scale × the peephole's, over the gate's (float, then double as LiteRT).
        peepholes = (0..<4).map { gate in
            peepholeVectors[gate].map { p in
                let real = Float(pow(2.0, Double(rounded)) * Double(p.1) / Double(gateScales[gate]))
                return (p.0, FixedPoint.Multiplier(Double(real)))
            }
        }
        self.layerNorms = layerNorms
        self.inputWeights = inputWeights
        self.recurrentWeights = recurrentWeights
        self.inputBiases = inputBiases
        self.recurrentBiases = recurrentBiases
        self.inputScales = inputScales
        self.recurrentScales = recurrentScales
        hiddenScale = FixedPoint.Multiplier(Double(Float(pow(2.0, -15) / Double(hiddenQuantization.scale) * pow(2.0, -15))))
        hiddenZeroPoint = hiddenQuantization.zeroPoint
        outputZeroPoint = outputQuantization.zeroPoint
        if let p = try weights(16, columns: cells, rows: outputs) {
            projection = p.0
            let b = try bias(17, count: outputs) ?? Array(repeating: 0, count: outputs)
            projectionBias = (0..<outputs).map { b[$0] &+ (0 &- hiddenQuantization.zeroPoint) &* p.2[$0] }
            projectionScale = FixedPoint.Multiplier(Double(p.1 * hiddenQuantization.scale / stateScale))
        } else {
            guard outputs == cells else { throw node.invalid("\(outputs) outputs need projection weights from \(cells) cells") }
            projection = nil
            projectionBias = []
            projectionScale = .init(multiplier: 0, shift: 0)
        }
    }

    /// Scratch for one step of `batches` rows.
    struct Workspace {
        let gates: UnsafeMutablePointer<Int16>
        let cellTanh: UnsafeMutablePointer<Int16>
        let hidden: UnsafeMutablePointer<Int8>

        init(_ tensors: TensorTable, batches: Int, cells: Int) throws(InterpreterError) {
            gates = try tensors.allocatePersistent(byteCount: 8 * batches * cells).bindMemory(to: Int16.self, capacity: 4 * batches * cells)
            cellTanh = try tensors.allocatePersistent(byteCount: 2 * batches * cells).bindMemory(to: Int16.self, capacity: batches * cells)
            hidden = try tensors.allocatePersistent(byteCount: batches * cells).bindMemory(to: Int8.self, capacity: batches * cells)
        }
    }

    /// `out[b][r] = clamp16(out[b][r] + requantize(bias[r] + Σ_c W[r][c] v[b][c]))`.
    private func accumulate(_ v: UnsafePointer<Int8>, columns: Int, _ weights: UnsafePointer<Int8>, bias: [Int32],
                            scale: FixedPoint.Multiplier, batches: Int, into out: UnsafeMutablePointer<Int16>) {
        for b in 0..<batches {
            let vector = v + b * columns
            for r in 0..<cells {
                let row = weights + r * columns
                var acc = bias[r]
                for c in 0..<columns { acc &+= Int32(row[c]) &* Int32(vector[c]) }
                let value = FixedPoint.multiply(acc, by: scale) &+ Int32(out[b * cells + r])
                out[b * cells + r] = Int16(clamping: value)
            }
        }
    }

    /// One time step over `batches` rows: `x` int8 `[batches, inputs]`, `h` the int8 output
    /// state, `c` the int16 cell state (both updated in place).
    func step(_ x: UnsafePointer<Int8>, batches: Int, h: UnsafeMutablePointer<Int8>, c: UnsafeMutablePointer<Int16>, _ w: Workspace) {
        let n = batches * cells
        func gate(_ k: Int) -> UnsafeMutablePointer<Int16> { w.gates + k * n }
        for k in [1, 2, 0] where !(k == 0 && cifg) {
            computeGate(k, x, batches: batches, h: h, c: c, into: gate(k))
        }
        // c = f·c + i·g (CIFG: i = 1 − f), in the cell state's scale.
        let shift = 30 + cellShift
        for i in 0..<n {
            let forget = gate(1)[i]
            let kept = Int16(truncatingIfNeeded: FixedPoint.roundingDivideByPOT(Int32(forget) * Int32(c[i]), 15))
            let inputGate = cifg ? Int16.max &- forget : gate(0)[i]
            let added = Int16(truncatingIfNeeded: FixedPoint.roundingDivideByPOT(Int32(inputGate) * Int32(gate(2)[i]), shift))
            var value = Int32(kept) + Int32(added)
            value = min(max(value, -32768), 32767)
            if cellClip > 0 { value = min(max(value, -Int32(cellClip)), Int32(cellClip)) }
            c[i] = Int16(value)
        }
        computeGate(3, x, batches: batches, h: h, c: c, into: gate(3))
        // hidden = o · tanh(c), requantized to int8.
        let tanhBits = 15 + cellShift
        for i in 0..<n {
            w.cellTanh[i] = Gemmlowp16.tanh(c[i], integerBits: tanhBits)
            var value = FixedPoint.multiply(Int32(gate(3)[i]) * Int32(w.cellTanh[i]), by: hiddenScale)
            value = min(max(value &+ hiddenZeroPoint, -128), 127)
            w.hidden[i] = Int8(value)
        }
        guard let projection else {
            h.update(from: w.hidden, count: n)
            return
        }
        for b in 0..<batches {
            let vector = w.hidden + b * cells
            for r in 0..<outputs {
                let row = projection + r * cells
                var acc = projectionBias[r]
                for k in 0..<cells { acc &+= Int32(row[k]) &* Int32(vector[k]) }
                var value = FixedPoint.multiply(acc, by: projectionScale) &+ outputZeroPoint
                value = min(max(value, -128), 127)
                if projectionClip > 0 { value = min(max(value, -Int32(projectionClip)), Int32(projectionClip)) }
                h[b * outputs + r] = Int8(value)
            }
        }
    }

    private func computeGate(_ k: Int, _ x: UnsafePointer<Int8>, batches: Int, h: UnsafePointer<Int8>, c: UnsafePointer<Int16>,
                             into out: UnsafeMutablePointer<Int16>) {
        guard let input = inputWeights[k], let recurrent = recurrentWeights[k] else { return }
        out.update(repeating: 0, count: batches * cells)
        accumulate(x, columns: inputs, input, bias: inputBiases[k], scale: inputScales[k], batches: batches, into: out)
        accumulate(h, columns: outputs, recurrent, bias: recurrentBiases[k], scale: recurrentScales[k], batches: batches, into: out)
        if let peephole = peepholes[k] {
            // LiteRT's stride: the output width per batch row (see the type's notes).
            for i in 0..<(batches * outputs) {
                let product = FixedPoint.multiply(Int32(peephole.weights[i % outputs]) * Int32(c[i]), by: peephole.scale)
                out[i] = Int16(clamping: product &+ Int32(out[i]))
            }
        }
        layerNorms[k]?.apply(out, batches: batches, width: cells)
        for i in 0..<(batches * cells) {
            out[i] = k == 2 ? Gemmlowp16.tanh(out[i], integerBits: 3) : Gemmlowp16.logistic(out[i], integerBits: 3)
        }
    }
}
