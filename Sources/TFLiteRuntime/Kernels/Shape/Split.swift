import TFLiteModel

/// SPLIT (axis is input 0, `num_splits` equal parts), SPLIT_V (input, `size_splits`, axis; one
/// size may be -1) and UNPACK (`num` parts of size 1 along `axis`, the axis removed).
final class SplitKernel: Kernel {
    enum Kind: Sendable { case split, splitV, unpack }

    private let node: Node
    private let kind: Kind
    private var outer = 0
    private var inner = 0
    private var axisSize = 0
    private var sizes: [Int] = []
    private var width = 1

    init(_ node: Node, kind: Kind) throws(InterpreterError) {
        switch kind {
        case .split: try node.expect(inputs: 2...2, outputs: 1...Int.max)
        case .splitV: try node.expect(inputs: 3...3, outputs: 1...Int.max)
        case .unpack: try node.expect(inputs: 1...1, outputs: 0...Int.max)
        }
        self.node = node
        self.kind = kind
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let inputPosition = kind == .split ? 1 : 0
        let input = tensors[try node.input(inputPosition)]
        width = try ShapeOps.width(input.type, node)
        try ShapeOps.requireData(input, node, "the input")
        let rank = input.shape.count
        let axisValue: Int
        switch kind {
        case .split:
            let values = try ShapeOps.constantInts(node, tensors, input: 0, "axis")
            guard values.count == 1 else { throw node.invalid("the axis input must hold one value") }
            axisValue = values[0]
        case .splitV:
            let values = try ShapeOps.constantInts(node, tensors, input: 2, "axis")
            guard values.count == 1 else { throw node.invalid("the axis input must hold one value") }
            axisValue = values[0]
        case .unpack:
            axisValue = Int(try node.options(expecting: UnpackOptions.self).axis)
        }
        let axis = try ShapeOps.axis(axisValue, rank: rank, node)
        axisSize = input.shape[axis]
        let parts = node.outputs.count
        switch kind {
        case .split:
            let options = try node.options(expecting: SplitOptions.self)
            let count = options.has(.numSplits) ? Int(options.numSplits) : parts
            guard count == parts, parts > 0 else { throw node.invalid("num_splits \(count) differs from the \(parts) outputs") }
            guard axisSize % parts == 0 else { throw node.invalid("dimension \(axisSize) does not split into \(parts) parts") }
            sizes = [Int](repeating: axisSize / parts, count: parts)
        case .splitV:
            var values = try ShapeOps.constantInts(node, tensors, input: 1, "size_splits")
            guard values.count == parts else { throw node.invalid("\(values.count) size_splits for \(parts) outputs") }
            let unknown = values.indices.filter { values[$0] == -1 }
            guard unknown.count <= 1, values.allSatisfy({ $0 >= -1 }) else { throw node.invalid("bad size_splits \(values)") }
            let known = values.filter { $0 >= 0 }.reduce(0, +)
            if let position = unknown.first {
                guard known <= axisSize else { throw node.invalid("size_splits \(values) exceed dimension \(axisSize)") }
                values[position] = axisSize - known
            } else {
                guard known == axisSize else { throw node.invalid("size_splits \(values) do not add up to \(axisSize)") }
            }
            sizes = values
        case .unpack:
            let options = try node.options(expecting: UnpackOptions.self)
            let count = options.has(.num) ? Int(options.num) : parts
            guard count == parts, parts == axisSize else {
                throw node.invalid("num \(count) and \(parts) outputs do not match dimension \(axisSize)")
            }
            sizes = [Int](repeating: 1, count: parts)
        }
        outer = try ShapeOps.count(Array(input.shape[..<axis]), node)
        inner = try ShapeOps.count(Array(input.shape[(axis + 1)...]), node)
        for (position, size) in sizes.enumerated() {
            let outputIndex = try node.output(position)
            guard tensors[outputIndex].type == input.type else {
                throw node.invalid("output \(position) type \(tensors[outputIndex].type) differs from input type \(input.type)")
            }
            var shape = input.shape
            if kind == .unpack { shape.remove(at: axis) } else { shape[axis] = size }
            tensors[outputIndex].shape = shape
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let inputIndex = try node.input(kind == .split ? 1 : 0)
        guard let source = tensors[inputIndex].data else { return }
        var start = 0
        for (position, size) in sizes.enumerated() {
            defer { start += size }
            guard let destination = tensors[node.outputs[position]].data else { continue }
            let count = size * inner
            for k in 0..<outer {
                ShapeOps.copy(source + ((k * axisSize + start) * inner) * width, destination + k * count * width,
                              count: count, width: width)
            }
        }
    }
}
