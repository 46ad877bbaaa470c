import TFLiteModel

/// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND on 3-D `[batch, width, depth]` and 4-D
/// `[batch, height, width, depth]` tensors, with the constant int32/int64 `block_shape` and
/// `paddings` (or `crops`) inputs, as LiteRT's kernels order the blocks: output batch
/// `(shiftH · blockW + shiftW) · batch + b`.
///
/// SPACE_TO_BATCH_ND pads with zero (quantized: the output's zero point); elements move as raw
/// bytes. A 3-D tensor is taken as `[batch, width, 1, depth]` with a block of 1 along the
/// added axis.
final class SpaceBatchNDKernel: Kernel {
    enum Direction { case spaceToBatch, batchToSpace }

    private let node: Node
    private let direction: Direction
    private var width = 4
    private var fill: UInt64 = 0
    /// The 4-D view: input and output `[batch, height, width, depth]`, the block and the
    /// top/left padding (or crop).
    private var input4 = [Int](repeating: 0, count: 4)
    private var output4 = [Int](repeating: 0, count: 4)
    private var block = (height: 1, width: 1)
    private var before = (height: 0, width: 0)

    init(_ node: Node, _ direction: Direction) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 1...1)
        self.node = node
        self.direction = direction
    }

    private var amountsName: String { direction == .spaceToBatch ? "paddings" : "crops" }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        width = try ShapeOps.width(input.type, node)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        try ShapeOps.requireData(input, node, "the input")
        let rank = input.shape.count
        guard rank == 3 || rank == 4 else { throw node.unsupported("input rank \(rank) is not supported (3 or 4)") }
        let blockShape = try ShapeOps.constantInts(node, tensors, input: 1, "block_shape")
        let amounts = try ShapeOps.constantInts(node, tensors, input: 2, amountsName)
        let spatial = rank - 2
        guard blockShape.count == spatial, blockShape.allSatisfy({ $0 >= 1 }) else {
            throw node.invalid("block_shape \(blockShape) must hold \(spatial) positive values")
        }
        guard amounts.count == 2 * spatial, amounts.allSatisfy({ $0 >= 0 }) else {
            throw node.invalid("\(amountsName) \(amounts) must hold \(spatial)×2 non-negative values")
        }
        input4 = rank == 4 ? input.shape : [input.shape[0], input.shape[1], 1, input.shape[2]]
        block = (blockShape[0], spatial == 2 ? blockShape[1] : 1)
        before = (amounts[0], spatial == 2 ? amounts[2] : 0)
        let after = (amounts[1], spatial == 2 ? amounts[3] : 0)
        let blocks = block.height * block.width
        switch direction {
        case .spaceToBatch:
            let paddedH = input4[1] + before.height + after.0, paddedW = input4[2] + before.width + after.1
            guard paddedH % block.height == 0, paddedW % block.width == 0 else {
                throw node.invalid("padded spatial size \(paddedH)×\(paddedW) is not a multiple of the block \(blockShape)")
            }
            output4 = [input4[0] * blocks, paddedH / block.height, paddedW / block.width, input4[3]]
        case .batchToSpace:
            guard input4[0] % blocks == 0 else { throw node.invalid("batch \(input4[0]) is not a multiple of the block size \(blocks)") }
            let outH = input4[1] * block.height - before.height - after.0
            let outW = input4[2] * block.width - before.width - after.1
            guard outH >= 0, outW >= 0 else { throw node.invalid("crops \(amounts) exceed the spatial size") }
            output4 = [input4[0] / blocks, outH, outW, input4[3]]
        }
        let shape = rank == 4 ? output4 : [output4[0], output4[1], output4[3]]
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        tensors[outputIndex].shape = shape
        let output = tensors[outputIndex]
        fill = ShapeOps.isQuantizedType(output.type) && output.scale > 0 ? UInt64(truncatingIfNeeded: Int64(output.zeroPoint)) : 0
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let inputCount = input4.reduce(1, *), outputCount = output4.reduce(1, *)
        if outputCount == 0 { return }
        guard let source = input.data, let destination = output.data,
              input.byteCount >= inputCount * width, output.byteCount >= outputCount * width else {
            throw node.failure("tensor sizes changed after prepare")
        }
        switch width {
        case 1: move(source.assumingMemoryBound(to: UInt8.self), destination.assumingMemoryBound(to: UInt8.self))
        case 2: move(source.assumingMemoryBound(to: UInt16.self), destination.assumingMemoryBound(to: UInt16.self))
        case 4: move(source.assumingMemoryBound(to: UInt32.self), destination.assumingMemoryBound(to: UInt32.self))
        default: move(source.assumingMemoryBound(to: UInt64.self), destination.assumingMemoryBound(to: UInt64.self))
        }
    }

    /// Walks the batched tensor (the output of SPACE_TO_BATCH_ND, the input of BATCH_TO_SPACE_ND)
    /// and moves each depth row between it and the spatial tensor.
    private func move<T: FixedWidthInteger>(_ source: UnsafeMutablePointer<T>, _ destination: UnsafeMutablePointer<T>) {
        let batched = direction == .spaceToBatch ? output4 : input4
        let space = direction == .spaceToBatch ? input4 : output4
        let depth = space[3]
        let fillValue = T(truncatingIfNeeded: fill)
        for b in 0..<batched[0] {
            let spaceBatch = b % space[0]
            let shift = b / space[0]
            let shiftH = shift / block.width, shiftW = shift % block.width
            for h in 0..<batched[1] {
                let spaceH = h * block.height + shiftH - before.height
                for w in 0..<batched[2] {
                    let spaceW = w * block.width + shiftW - before.width
                    let batchedOffset = ((b * batched[1] + h) * batched[2] + w) * depth
                    let inside = spaceH >= 0 && spaceH < space[1] && spaceW >= 0 && spaceW < space[2]
                    let spaceOffset = ((spaceBatch * space[1] + spaceH) * space[2] + spaceW) * depth
                    switch direction {
                    case .spaceToBatch:
                        if inside {
                            (destination + batchedOffset).update(from: source + spaceOffset, count: depth)
                        } else {
                            (destination + batchedOffset).update(repeating: fillValue, count: depth)
                        }
                    case .batchToSpace:
                        if inside { (destination + spaceOffset).update(from: source + batchedOffset, count: depth) }
                    }
                }
            }
        }
    }
}
