import TFLiteModel

/// SEGMENT_SUM: sums the rows of `data` (float32, int32) that share a segment id; the constant
/// int32 `segment_ids` (one per row, non-decreasing, non-negative) give the output's first
/// dimension, the last id plus one. Segments with no row are zero; integers wrap.
final class SegmentSumKernel: Kernel {
    private let node: Node
    private var type = TensorType.float32
    private var segments: [Int] = []
    private var rowSize = 0
    private var outputRows = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let data = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard data.type == .float32 || data.type == .int32 else { throw node.unsupported("\(data.type) data is not supported") }
        guard tensors[outputIndex].type == data.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from data type \(data.type)")
        }
        guard tensors[try node.input(1)].type == .int32 else { throw node.invalid("segment_ids must be int32") }
        try ShapeOps.requireData(data, node, "data")
        guard let rows = data.shape.first else { throw node.invalid("data must have at least one dimension") }
        let ids = try ShapeOps.constantInts(node, tensors, input: 1, "segment_ids")
        guard ids.count == rows else { throw node.invalid("\(ids.count) segment_ids for \(rows) data rows") }
        for (position, id) in ids.enumerated() where id < 0 || (position > 0 && id < ids[position - 1]) {
            throw node.invalid("segment_ids must be sorted and non-negative (position \(position): \(id))")
        }
        type = data.type
        segments = ids
        outputRows = (ids.last ?? -1) + 1
        rowSize = data.shape.dropFirst().reduce(1, *)
        let shape = [outputRows] + data.shape.dropFirst()
        _ = try ShapeOps.plannedCount(shape, width: 4, node, tensors)
        tensors[outputIndex].shape = shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let data = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        if type == .float32 {
            try sum(data.buffer(Float.self), output.buffer(Float.self), +)
        } else {
            try sum(data.buffer(Int32.self), output.buffer(Int32.self), &+)
        }
    }

    private func sum<T: Numeric>(_ data: UnsafeMutableBufferPointer<T>, _ output: UnsafeMutableBufferPointer<T>,
                                 _ add: (T, T) -> T) throws(InterpreterError) {
        guard data.count >= segments.count * rowSize, output.count >= outputRows * rowSize else {
            throw node.failure("tensor sizes changed after prepare")
        }
        for index in 0..<(outputRows * rowSize) { output[index] = 0 }
        for (row, segment) in segments.enumerated() {
            for column in 0..<rowSize {
                output[segment * rowSize + column] = add(output[segment * rowSize + column], data[row * rowSize + column])
            }
        }
    }
}
