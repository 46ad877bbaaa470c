import TFLiteModel

/// PAD and PADV2: constant `[rank, 2]` paddings (int32/int64), padded with 0, or for quantized
/// tensors the output zero point, or PADV2's `constant_values` (a raw value that must share the
/// output's quantization, as LiteRT requires).
final class PadKernel: IndexMapKernel {
    init(_ node: Node, v2: Bool) throws(InterpreterError) {
        try node.expect(inputs: v2 ? 2...3 : 2...3, outputs: 1...1)
        super.init(node: node)
    }

    override func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        let (left, right) = try PadKernel.paddings(node, tensors, rank: input.shape.count)
        let output = tensors[try node.output(0)]
        var fill: UInt64 = 0
        if let valueIndex = node.optionalInput(2) {
            let value = tensors[valueIndex]
            guard value.type == input.type, value.elementCount == 1 else {
                throw node.invalid("constant_values must be one \(input.type) value")
            }
            guard value.isConstant else { throw node.unsupported("constant_values must be constant") }
            try ShapeOps.requireData(value, node, "constant_values")
            if ShapeOps.isQuantizedType(input.type), input.quantization != nil || input.type == .uint8 {
                guard ShapeOps.sameQuantization(value, output) else {
                    throw node.invalid("constant_values must have the output's scale and zero point")
                }
            }
            guard let data = value.data else { throw node.invalid("constant_values has no data") }
            var bits: UInt64 = 0
            withUnsafeMutableBytes(of: &bits) { $0.copyMemory(from: UnsafeRawBufferPointer(start: data, count: width)) }
            fill = bits
        } else if ShapeOps.isQuantizedType(input.type), input.quantization != nil || input.type == .uint8 {
            let zeroPoint = output.zeroPoint
            switch input.type {
            case .int8:
                guard let value = Int8(exactly: zeroPoint) else { throw node.invalid("zero point \(zeroPoint) is out of range") }
                fill = UInt64(UInt8(bitPattern: value))
            case .uint8:
                guard let value = UInt8(exactly: zeroPoint) else { throw node.invalid("zero point \(zeroPoint) is out of range") }
                fill = UInt64(value)
            default:
                guard let value = Int16(exactly: zeroPoint) else { throw node.invalid("zero point \(zeroPoint) is out of range") }
                fill = UInt64(UInt16(bitPattern: value))
            }
        }
        let strides = IndexMapCopy.strides(input.shape)
        var shape: [Int] = []
        for axis in input.shape.indices {
            let (padded, overflowLeft) = input.shape[axis].addingReportingOverflow(left[axis])
            let (total, overflowRight) = padded.addingReportingOverflow(right[axis])
            guard !overflowLeft, !overflowRight else { throw node.invalid("padded dimension \(axis) overflows") }
            shape.append(total)
        }
        _ = try ShapeOps.plannedCount(shape, width: width, node, tensors)
        var tables: [[Int]] = []
        let empty = shape.contains(0)
        for axis in input.shape.indices {
            let size = input.shape[axis]
            let total = shape[axis]
            tables.append(IndexMapCopy.table(total, outputIsEmpty: empty) { o in
                let i = o - left[axis]
                return i >= 0 && i < size ? i * strides[axis] : -1
            })
        }
        return (shape, IndexMapCopy(tables: tables, width: width, fill: fill))
    }

    /// Reads constant `[rank, 2]` paddings (non-negative unless `allowNegative`).
    static func paddings(_ node: Node, _ tensors: TensorTable, rank: Int) throws(InterpreterError) -> (left: [Int], right: [Int]) {
        let paddingsTensor = tensors[try node.input(1)]
        let values = try ShapeOps.constantInts(node, tensors, input: 1, "paddings")
        guard values.count == rank * 2, paddingsTensor.shape.count == 2 || rank == 0 else {
            throw node.invalid("paddings of shape \(paddingsTensor.shape) do not fit rank \(rank)")
        }
        var left: [Int] = [], right: [Int] = []
        for axis in 0..<rank {
            let l = values[2 * axis], r = values[2 * axis + 1]
            guard l >= 0, r >= 0, l < (1 << 31), r < (1 << 31) else { throw node.invalid("paddings \(values) must be non-negative") }
            left.append(l)
            right.append(r)
        }
        return (left, right)
    }
}
