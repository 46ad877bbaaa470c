import TFLiteModel

/// DYNAMIC_UPDATE_SLICE: `operand` with `update` written over it at `start_indices` (int32/int64,
/// one per dimension, read at every invoke), each start clamped to `0...operand − update` as
/// LiteRT (and XLA) do. Elements move as raw bytes, so quantized values keep their encoding.
final class DynamicUpdateSliceKernel: Kernel {
    /// The largest rank handled.
    static let maxRank = 8
    private let node: Node
    private var width = 4
    private var operandShape: [Int] = []
    private var updateShape: [Int] = []
    private var operandStrides: [Int] = []
    private var start: [Int] = []
    private var counter: [Int] = []

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let operand = tensors[try node.input(0)]
        let update = tensors[try node.input(1)]
        let indices = tensors[try node.input(2)]
        let outputIndex = try node.output(0)
        width = try ShapeOps.width(operand.type, node)
        guard update.type == operand.type, tensors[outputIndex].type == operand.type else {
            throw node.invalid("operand (\(operand.type)), update (\(update.type)) and output (\(tensors[outputIndex].type)) types differ")
        }
        guard indices.type == .int32 || indices.type == .int64 else { throw node.invalid("start_indices must be int32 or int64, not \(indices.type)") }
        let rank = operand.shape.count
        guard rank <= Self.maxRank else { throw node.unsupported("rank \(rank) is above \(Self.maxRank)") }
        guard update.shape.count == rank, zip(update.shape, operand.shape).allSatisfy({ $0 <= $1 }) else {
            throw node.invalid("update shape \(update.shape) does not fit in operand shape \(operand.shape)")
        }
        guard indices.shape.count == 1, indices.elementCount == rank else {
            throw node.invalid("start_indices shape \(indices.shape) must be [\(rank)]")
        }
        try ShapeOps.requireData(operand, node, "operand")
        try ShapeOps.requireData(update, node, "update")
        try ShapeOps.requireData(indices, node, "start_indices")
        operandShape = operand.shape
        updateShape = update.shape
        operandStrides = IndexMapCopy.strides(operand.shape)
        start = [Int](repeating: 0, count: rank)
        counter = [Int](repeating: 0, count: rank)
        tensors[outputIndex].shape = operand.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let operand = tensors[try node.input(0)]
        let update = tensors[try node.input(1)]
        let indices = tensors[try node.input(2)]
        let output = tensors[try node.output(0)]
        guard let source = operand.data, let patch = update.data, let destination = output.data,
              output.byteCount >= operand.elementCount * width, update.byteCount >= update.elementCount * width else {
            if operand.elementCount == 0 { return }
            throw node.failure("tensor sizes changed after prepare")
        }
        if source != destination { destination.copyMemory(from: source, byteCount: operand.elementCount * width) }
        let rank = operandShape.count
        for axis in 0..<rank {
            let value: Int
            if indices.type == .int32 {
                let buffer = indices.buffer(Int32.self)
                value = axis < buffer.count ? Int(buffer[axis]) : 0
            } else {
                let buffer = indices.buffer(Int64.self)
                value = axis < buffer.count ? Int(clamping: buffer[axis]) : 0
            }
            start[axis] = min(max(value, 0), operandShape[axis] - updateShape[axis])
        }
        guard update.elementCount > 0 else { return }
        if rank == 0 {
            destination.copyMemory(from: patch, byteCount: width)
            return
        }
        // Copy the update row by row (its innermost dimension is contiguous in both tensors).
        let rowBytes = updateShape[rank - 1] * width
        for axis in 0..<rank { counter[axis] = 0 }
        var patchOffset = 0
        while true {
            var offset = 0
            for axis in 0..<rank { offset += (start[axis] + (axis == rank - 1 ? 0 : counter[axis])) * operandStrides[axis] }
            (destination + offset * width).copyMemory(from: patch + patchOffset, byteCount: rowBytes)
            patchOffset += rowBytes
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                if counter[axis] < updateShape[axis] { break }
                counter[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}
