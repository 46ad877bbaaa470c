import TFLiteModel

/// SELECT_V2 (`condition ? x : y` with NumPy broadcasting of all three) and SELECT (equal
/// shapes, or a 1-D condition choosing whole rows of x/y). Values are copied raw, so quantized
/// x and y must share the output's quantization for the result to mean anything (as in LiteRT).
final class SelectKernel: Kernel {
    private let node: Node
    private let broadcasting: Bool
    private var outputShape: [Int] = []
    private var counts: [Int] = []
    private var conditionSteps: [Int] = []
    private var xSteps: [Int] = []
    private var ySteps: [Int] = []
    private var rowMode = false
    private var rowSize = 0
    private var width = 1
    private var counter: [Int] = []

    init(_ node: Node, v2: Bool) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 1...1)
        self.node = node
        broadcasting = v2
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let condition = tensors[try node.input(0)]
        let x = tensors[try node.input(1)]
        let y = tensors[try node.input(2)]
        let outputIndex = try node.output(0)
        guard condition.type == .bool else { throw node.invalid("condition must be bool, not \(condition.type)") }
        guard x.type == y.type, tensors[outputIndex].type == x.type else {
            throw node.invalid("x (\(x.type)), y (\(y.type)) and output (\(tensors[outputIndex].type)) types differ")
        }
        width = try ShapeOps.width(x.type, node)
        for (tensor, what) in [(condition, "condition"), (x, "x"), (y, "y")] { try ShapeOps.requireData(tensor, node, what) }
        rowMode = false
        if broadcasting {
            let rank = max(condition.shape.count, x.shape.count, y.shape.count)
            func pad(_ shape: [Int]) -> [Int] { [Int](repeating: 1, count: rank - shape.count) + shape }
            let c = pad(condition.shape), a = pad(x.shape), b = pad(y.shape)
            var shape: [Int] = []
            for d in 0..<rank {
                let sizes = [c[d], a[d], b[d]].filter { $0 != 1 }
                guard Set(sizes).count <= 1 else {
                    throw node.invalid("shapes \(condition.shape), \(x.shape) and \(y.shape) do not broadcast")
                }
                shape.append(sizes.first ?? 1)
            }
            func steps(_ padded: [Int]) -> [Int] {
                let strides = IndexMapCopy.strides(padded)
                return (0..<rank).map { padded[$0] == 1 ? 0 : strides[$0] }
            }
            outputShape = shape
            counts = shape
            conditionSteps = steps(c)
            xSteps = steps(a)
            ySteps = steps(b)
        } else {
            guard x.shape == y.shape else { throw node.invalid("x \(x.shape) and y \(y.shape) must have the same shape") }
            outputShape = x.shape
            if condition.shape == x.shape || condition.elementCount == 1 && x.elementCount == 1 {
                counts = [x.elementCount]
                conditionSteps = [1]
                xSteps = [1]
                ySteps = [1]
            } else if condition.shape.count == 1, let first = x.shape.first, condition.shape[0] == first {
                rowMode = true
                rowSize = first == 0 ? 0 : x.elementCount / first
                counts = [first]
            } else {
                throw node.invalid("condition \(condition.shape) does not fit x \(x.shape)")
            }
        }
        counter = [Int](repeating: 0, count: max(counts.count, 1))
        tensors[outputIndex].shape = outputShape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let condition = tensors[try node.input(0)]
        let x = tensors[try node.input(1)]
        let y = tensors[try node.input(2)]
        let output = tensors[try node.output(0)]
        guard let c = condition.data?.assumingMemoryBound(to: UInt8.self), let a = x.data, let b = y.data,
              let o = output.data else { return }
        if rowMode {
            let bytes = rowSize * width
            for row in 0..<(counts.first ?? 0) where bytes > 0 {
                let source = c[row] != 0 ? a : b
                (o + row * bytes).copyMemory(from: source + row * bytes, byteCount: bytes)
            }
            return
        }
        switch width {
        case 1: walk(c, a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self), o.assumingMemoryBound(to: UInt8.self))
        case 2: walk(c, a.assumingMemoryBound(to: UInt16.self), b.assumingMemoryBound(to: UInt16.self), o.assumingMemoryBound(to: UInt16.self))
        case 4: walk(c, a.assumingMemoryBound(to: UInt32.self), b.assumingMemoryBound(to: UInt32.self), o.assumingMemoryBound(to: UInt32.self))
        default: walk(c, a.assumingMemoryBound(to: UInt64.self), b.assumingMemoryBound(to: UInt64.self), o.assumingMemoryBound(to: UInt64.self))
        }
    }

    private func walk<T>(_ c: UnsafePointer<UInt8>, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ o: UnsafeMutablePointer<T>) {
        let rank = counts.count
        if rank == 0 {
            o[0] = c[0] != 0 ? a[0] : b[0]
            return
        }
        if counts.contains(0) { return }
        for d in 0..<rank { counter[d] = 0 }
        var ci = 0, ai = 0, bi = 0, oi = 0
        let last = rank - 1
        let innerCount = counts[last], cs = conditionSteps[last], xs = xSteps[last], ys = ySteps[last]
        while true {
            var cj = ci, aj = ai, bj = bi
            for _ in 0..<innerCount {
                o[oi] = c[cj] != 0 ? a[aj] : b[bj]
                oi += 1
                cj += cs
                aj += xs
                bj += ys
            }
            var d = last - 1
            while d >= 0 {
                counter[d] += 1
                ci += conditionSteps[d]
                ai += xSteps[d]
                bi += ySteps[d]
                if counter[d] < counts[d] { break }
                ci -= conditionSteps[d] * counts[d]
                ai -= xSteps[d] * counts[d]
                bi -= ySteps[d] * counts[d]
                counter[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}
