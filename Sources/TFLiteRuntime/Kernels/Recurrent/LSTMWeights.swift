import TFLiteModel

/// A weight matrix (or vector) of an LSTM: float32, or int8 with one scale (hybrid models:
/// dynamic-range quantization stores the LSTM's weights per tensor).
struct LSTMWeights {
    let rows: Int
    let columns: Int
    let floats: UnsafePointer<Float>?
    let bytes: UnsafePointer<Int8>?
    let scale: Float
    /// Row sums of the int8 weights (asymmetric hybrid inputs subtract zero point × row sum).
    let rowSums: [Int32]

    var isQuantized: Bool { bytes != nil }

    /// Tensor `index` as a `rows` × `columns` matrix (a vector when `columns` is 1), checking its
    /// shape and type.
    init(_ tensors: TensorTable, _ index: Int, rows: Int, columns: Int, role: String, node: Node) throws(InterpreterError) {
        let tensor = tensors[index]
        guard tensor.elementCount == rows * columns, tensor.shape.reduce(1, *) == rows * columns else {
            throw node.invalid("\(role) has shape \(tensor.shape), expected \(columns == 1 ? "[\(rows)]" : "[\(rows), \(columns)]")")
        }
        guard tensor.isConstant, let data = tensor.data else { throw node.unsupported("\(role) must be a constant") }
        self.rows = rows
        self.columns = columns
        switch tensor.type {
        case .float32:
            floats = UnsafePointer(data.assumingMemoryBound(to: Float.self))
            bytes = nil
            scale = 1
            rowSums = []
        case .int8:
            guard let quantization = tensor.quantization, !quantization.isPerChannel, quantization.scale > 0, quantization.scale.isFinite,
                  quantization.zeroPoint == 0 else {
                throw node.unsupported("\(role): int8 weights need one positive scale and zero point 0")
            }
            let values = UnsafePointer(data.assumingMemoryBound(to: Int8.self))
            floats = nil
            bytes = values
            scale = quantization.scale
            rowSums = (0..<rows).map { row in (0..<columns).reduce(Int32(0)) { $0 &+ Int32(values[row * columns + $1]) } }
        default:
            throw node.unsupported("\(role) of type \(tensor.type)")
        }
    }

    /// `result[b][r] += Σ_c W[r][c] x[b][c]` for float inputs.
    func accumulate(_ x: UnsafePointer<Float>, batches: Int, into result: UnsafeMutablePointer<Float>) {
        guard let floats else { return }
        for b in 0..<batches {
            let vector = x + b * columns
            for r in 0..<rows {
                let row = floats + r * columns
                var dot: Float = 0
                for c in 0..<columns { dot += row[c] * vector[c] }
                result[b * rows + r] += dot
            }
        }
    }

    /// Hybrid: `result[b][r] += (Σ_c W[r][c] q[b][c] − zero[b] × rowSum[r]) × scaling[b] × scale`
    /// over int8 inputs `q` quantized per batch, as LiteRT's `MatrixBatchVectorMultiplyAccumulate`.
    func accumulate(quantized q: UnsafePointer<Int8>, scaling: UnsafePointer<Float>, zeroPoints: UnsafePointer<Int32>?,
                    batches: Int, into result: UnsafeMutablePointer<Float>) {
        guard let bytes else { return }
        for b in 0..<batches {
            let vector = q + b * columns
            let factor = scaling[b] * scale
            let zero = zeroPoints?[b] ?? 0
            for r in 0..<rows {
                let row = bytes + r * columns
                var dot: Int32 = 0
                for c in 0..<columns { dot &+= Int32(row[c]) &* Int32(vector[c]) }
                if zero != 0 { dot &-= zero &* rowSums[r] }
                result[b * rows + r] += Float(dot) * factor
            }
        }
    }

    /// Element `i` of a vector (peephole and layer-norm weights), dequantized when int8.
    func element(_ i: Int) -> Float {
        if let floats { return floats[i] }
        if let bytes { return Float(bytes[i]) * scale }
        return 0
    }
}
