import TFLiteModel

/// How a reduction over some axes walks its input: the resolved axes, the output shape, and
/// the input's dimensions collapsed into alternating runs of kept and reduced axes, with the
/// output stride of each run (0 for reduced runs).
struct ReductionPlan {
    /// Axes reduced over, in [0, rank), without duplicates, sorted.
    var axes: [Int]
    /// Output shape (reduced axes kept as 1 when `keepDims`, else dropped).
    var outputShape: [Int]
    /// Collapsed input dimensions.
    var dims: [Int]
    /// Output stride per collapsed dimension (0 when reduced).
    var outputStrides: [Int]
    /// Number of input elements folded into each output element.
    var reducedCount: Int
    var inputCount: Int
    var outputCount: Int

    /// Resolves `axisValues` (negative axes count from the end, duplicates allowed, as LiteRT
    /// accepts them) against `inputShape`.
    init(inputShape: [Int], axisValues: [Int], keepDims: Bool, node: Node) throws(InterpreterError) {
        let rank = inputShape.count
        var axes: [Int] = []
        for value in axisValues {
            let axis = value < 0 ? value + rank : value
            guard axis >= 0, axis < max(rank, 1) else {
                throw node.invalid("axis \(value) is out of range for rank \(rank)")
            }
            if rank > 0, !axes.contains(axis) { axes.append(axis) }
        }
        axes.sort()
        self.axes = axes
        var outputShape: [Int] = []
        for (index, size) in inputShape.enumerated() {
            if axes.contains(index) {
                if keepDims { outputShape.append(1) }
            } else {
                outputShape.append(size)
            }
        }
        self.outputShape = outputShape
        inputCount = inputShape.reduce(1, *)
        outputCount = outputShape.reduce(1, *)
        reducedCount = axes.reduce(1) { $0 * inputShape[$1] }

        // Collapse neighbouring axes of the same kind (kept or reduced).
        var dims: [Int] = []
        var reduced: [Bool] = []
        for (index, size) in inputShape.enumerated() {
            let isReduced = axes.contains(index)
            if let last = reduced.last, last == isReduced, let lastSize = dims.last {
                dims[dims.count - 1] = lastSize * size
            } else {
                dims.append(size)
                reduced.append(isReduced)
            }
        }
        if dims.isEmpty {
            dims = [1]
            reduced = [false]
        }
        var strides = [Int](repeating: 0, count: dims.count)
        var running = 1
        for index in stride(from: dims.count - 1, through: 0, by: -1) where !reduced[index] {
            strides[index] = running
            running *= dims[index]
        }
        self.dims = dims
        outputStrides = strides
    }

    /// Calls `body(inputIndex, outputIndex)` for every input element, in input order.
    @inline(__always)
    func forEach(_ body: (Int, Int) -> Void) {
        if inputCount == 0 { return }
        var inputIndex = 0
        walkElements(level: 0, outputBase: 0, inputIndex: &inputIndex, body)
    }

    private func walkElements(level: Int, outputBase: Int, inputIndex: inout Int, _ body: (Int, Int) -> Void) {
        let size = dims[level]
        let stride = outputStrides[level]
        if level == dims.count - 1 {
            var output = outputBase
            for _ in 0..<size {
                body(inputIndex, output)
                inputIndex += 1
                output += stride
            }
            return
        }
        for position in 0..<size {
            walkElements(level: level + 1, outputBase: outputBase + position * stride, inputIndex: &inputIndex, body)
        }
    }

    /// When the input is `count` blocks of `rows × width` elements, each block reduced over its
    /// rows into `width` consecutive outputs (the last axis kept, the ones before it reduced, any
    /// leading kept axis outermost): the shape of a mean over H × W per channel. Nil otherwise.
    var columnBlocks: (count: Int, rows: Int, width: Int)? {
        let k = dims.count
        guard k >= 2, outputStrides[k - 1] == 1, outputStrides[k - 2] == 0 else { return nil }
        if k == 2 { return (1, dims[0], dims[1]) }
        guard k == 3, outputStrides[0] == dims[2] else { return nil }
        return (dims[0], dims[1], dims[2])
    }

    /// Calls `row(inputStart, outputStart, count, outputStride)` for every run of the innermost
    /// collapsed dimension, in input order: input elements `inputStart ..< inputStart + count`
    /// fold into outputs `outputStart + k × outputStride` (stride 0 when that dimension is reduced).
    @inline(__always)
    func forEachRow(_ row: (Int, Int, Int, Int) -> Void) {
        if inputCount == 0 { return }
        var inputIndex = 0
        walk(level: 0, outputBase: 0, inputIndex: &inputIndex, row)
    }

    private func walk(level: Int, outputBase: Int, inputIndex: inout Int, _ row: (Int, Int, Int, Int) -> Void) {
        let size = dims[level]
        let stride = outputStrides[level]
        if level == dims.count - 1 {
            row(inputIndex, outputBase, size, stride)
            inputIndex += size
            return
        }
        for position in 0..<size {
            walk(level: level + 1, outputBase: outputBase + position * stride, inputIndex: &inputIndex, row)
        }
    }
}

/// Constant-input readers shared by the reduction kernels.
enum ReductionSupport {
    /// Reads an axis tensor known at prepare (int32 or int64) as integers; a computed one asks
    /// to be prepared at invoke.
    static func constantAxes(_ node: Node, _ tensors: TensorTable, input position: Int) throws(InterpreterError) -> [Int] {
        let index = try node.input(position)
        let tensor = tensors[index]
        guard tensors.valuesKnown(tensor) else {
            throw tensors.deferToRunTime(node, "dynamic output shape: the axis input is not constant")
        }
        switch tensor.type {
        case .int32: return tensor.buffer(Int32.self).prefix(tensor.elementCount).map(Int.init)
        case .int64: return tensor.buffer(Int64.self).prefix(tensor.elementCount).map { Int(clamping: $0) }
        default: throw node.invalid("the axis input must be int32 or int64, not \(tensor.type)")
        }
    }
}
