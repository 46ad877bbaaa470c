import TFLiteModel

/// EMBEDDING_LOOKUP: rows of `value` (rank ≥ 2) selected by 1-D int32 ids. Rows are copied, or
/// for int8/uint8 weights with a float32 output dequantized as LiteRT's hybrid path does:
/// `q × scale` (per-row scale when there are several, no zero point; LiteRT reads uint8 weights
/// through an int8 pointer, and so does this kernel). Ids out of range fail `invoke()`.
final class EmbeddingLookupKernel: Kernel {
    private let node: Node
    private var rows = 0, rowElements = 0, width = 1, hybrid = false
    private var scales: [Float] = []

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let ids = tensors[try node.input(0)]
        let value = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        guard ids.type == .int32, ids.shape.count == 1 else { throw node.invalid("ids must be a 1-D int32 tensor") }
        guard value.shape.count >= 2 else { throw node.invalid("value must have at least 2 dimensions") }
        width = try ShapeOps.width(value.type, node)
        try ShapeOps.requireData(value, node, "value")
        try ShapeOps.requireData(ids, node, "ids")
        hybrid = (value.type == .int8 || value.type == .uint8) && output.type == .float32
        if hybrid {
            guard let quantization = value.quantization else { throw node.invalid("hybrid lookup needs quantized weights") }
            scales = quantization.scales
            if scales.count > 1 {
                guard scales.count == value.shape[0] else { throw node.invalid("\(scales.count) scales for \(value.shape[0]) rows") }
            }
        } else {
            guard output.type == value.type else { throw node.unsupported("value \(value.type) with output \(output.type)") }
        }
        rows = value.shape[0]
        rowElements = try ShapeOps.count(Array(value.shape.dropFirst()), node)
        tensors[outputIndex].shape = [ids.shape[0]] + Array(value.shape.dropFirst())
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let ids = tensors[try node.input(0)].buffer(Int32.self)
        let value = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard let source = value.data, let destination = output.data else { return }
        for (i, id) in ids.enumerated() {
            let row = Int(id)
            guard row >= 0, row < rows else { throw node.failure("id \(row) is out of range [0, \(rows))") }
            if hybrid {
                let scale = Double(scales.count > 1 ? scales[row] : (scales.first ?? 0))
                let from = source.assumingMemoryBound(to: Int8.self) + row * rowElements
                let to = destination.assumingMemoryBound(to: Float.self) + i * rowElements
                for j in 0..<rowElements { to[j] = Float(Double(from[j]) * scale) }
            } else {
                let bytes = rowElements * width
                if bytes > 0 { (destination + i * bytes).copyMemory(from: source + row * bytes, byteCount: bytes) }
            }
        }
    }
}
