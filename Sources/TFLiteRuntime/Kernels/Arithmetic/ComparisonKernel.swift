import TFLiteModel

/// LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL and NOT_EQUAL with broadcasting up to 6-D;
/// the output is bool.
///
/// float32, int32 and int64 compare values (EQUAL/NOT_EQUAL also bool). int8 and uint8 compare
/// as LiteRT's `comparisons.cc` does: each side has its zero point removed, is shifted left by 8
/// bits and multiplied by its own scale in fixed point, so inputs with different quantization
/// compare by real value.
final class ComparisonKernel: Kernel {
    enum Comparison: Sendable {
        case less, lessEqual, greater, greaterEqual, equal, notEqual

        @inline(__always)
        func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .less: a < b
            case .lessEqual: a <= b
            case .greater: a > b
            case .greaterEqual: a >= b
            case .equal: a == b
            case .notEqual: a != b
            }
        }

        var isEquality: Bool { self == .equal || self == .notEqual }
    }

    private let node: Node
    private let comparison: Comparison
    private var broadcast = BinaryBroadcast()
    private var type = TensorType.float32
    private var offsets: (a: Int32, b: Int32) = (0, 0)
    private var multipliers = (a: FixedPoint.Multiplier(multiplier: 0, shift: 0), b: FixedPoint.Multiplier(multiplier: 0, shift: 0))

    init(_ node: Node, _ comparison: Comparison) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        self.comparison = comparison
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let a = tensors[try node.input(0)]
        let b = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        guard a.type == b.type else { throw node.invalid("input types differ (\(a.type) and \(b.type))") }
        var supported: [TensorType] = [.float32, .int32, .int64, .int8, .uint8]
        if comparison.isEquality { supported.append(.bool) }
        guard supported.contains(a.type) else { throw node.unsupported("\(a.type) inputs are not supported") }
        guard tensors[outputIndex].type == .bool else { throw node.invalid("the output must be bool, not \(tensors[outputIndex].type)") }
        type = a.type
        broadcast = try BinaryBroadcast(a.shape, b.shape, node: node)
        tensors[outputIndex].shape = broadcast.outputShape
        guard type == .int8 || type == .uint8 else { return }
        let range: ClosedRange<Int32> = type == .int8 ? -128...127 : 0...255
        for tensor in [a, b] {
            guard let q = tensor.quantization, !q.isPerChannel, q.scale > 0, q.scale < 1 else {
                throw node.unsupported("\(type) input \(tensor.name) needs a per-tensor scale in (0, 1)")
            }
            guard range.contains(tensor.zeroPoint) else {
                throw node.invalid("zero point \(tensor.zeroPoint) of \(tensor.name) is outside the \(type) range")
            }
        }
        offsets = (-a.zeroPoint, -b.zeroPoint)
        multipliers = (FixedPoint.Multiplier(Double(a.scale)), FixedPoint.Multiplier(Double(b.scale)))
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let a = tensors[try node.input(0)]
        let b = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard output.elementCount == broadcast.outputCount, output.byteCount >= broadcast.outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        guard broadcast.outputCount > 0, let out = output.buffer(UInt8.self).baseAddress else { return }
        let c = comparison
        switch type {
        case .float32: compare(Float.self, a, b, out) { c.holds($0, $1) }
        case .int32: compare(Int32.self, a, b, out) { c.holds($0, $1) }
        case .int64: compare(Int64.self, a, b, out) { c.holds($0, $1) }
        case .bool: compare(UInt8.self, a, b, out) { c.holds($0 != 0 ? 1 : 0, $1 != 0 ? 1 : 0) }
        case .int8: compareQuantized(Int8.self, a, b, out)
        case .uint8: compareQuantized(UInt8.self, a, b, out)
        default: throw node.unsupported("\(type) inputs are not supported")
        }
    }

    private func compare<T>(_: T.Type, _ a: RuntimeTensor, _ b: RuntimeTensor, _ out: UnsafeMutablePointer<UInt8>,
                            _ holds: (T, T) -> Bool) {
        guard let x = a.buffer(T.self).baseAddress, let y = b.buffer(T.self).baseAddress else { return }
        broadcast.apply(x, y, out) { holds($0, $1) ? 1 : 0 }
    }

    private func compareQuantized<T: FixedWidthInteger>(_: T.Type, _ a: RuntimeTensor, _ b: RuntimeTensor,
                                                        _ out: UnsafeMutablePointer<UInt8>) {
        let (offsetA, offsetB) = offsets
        let (multiplierA, multiplierB) = multipliers
        let c = comparison
        compare(T.self, a, b, out) { x, y in
            let scaledA = FixedPoint.multiplySmallerThanOne((Int32(x) &+ offsetA) &* 256, by: multiplierA)
            let scaledB = FixedPoint.multiplySmallerThanOne((Int32(y) &+ offsetB) &* 256, by: multiplierB)
            return c.holds(scaledA, scaledB)
        }
    }
}

/// LOGICAL_AND and LOGICAL_OR (bool, broadcasting) and LOGICAL_NOT.
final class LogicalKernel: Kernel {
    enum Operation: Sendable { case and, or, not }

    private let node: Node
    private let operation: Operation
    private var broadcast = BinaryBroadcast()

    init(_ node: Node, _ operation: Operation) throws(InterpreterError) {
        try node.expect(inputs: operation == .not ? 1...1 : 2...2, outputs: 1...1)
        self.node = node
        self.operation = operation
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let inputs = try (0..<(operation == .not ? 1 : 2)).map { (i: Int) throws(InterpreterError) in tensors[try node.input(i)] }
        let outputIndex = try node.output(0)
        for tensor in inputs + [tensors[outputIndex]] where tensor.type != .bool {
            throw node.invalid("\(tensor.name) must be bool, not \(tensor.type)")
        }
        let shapeB = operation == .not ? inputs[0].shape : inputs[1].shape
        broadcast = try BinaryBroadcast(inputs[0].shape, shapeB, node: node)
        tensors[outputIndex].shape = broadcast.outputShape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let a = tensors[try node.input(0)]
        let b = operation == .not ? a : tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard output.elementCount == broadcast.outputCount, output.byteCount >= broadcast.outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        guard broadcast.outputCount > 0, let x = a.buffer(UInt8.self).baseAddress, let y = b.buffer(UInt8.self).baseAddress,
              let out = output.buffer(UInt8.self).baseAddress else { return }
        switch operation {
        case .and: broadcast.apply(x, y, out) { ($0 != 0 && $1 != 0) ? 1 : 0 }
        case .or: broadcast.apply(x, y, out) { ($0 != 0 || $1 != 0) ? 1 : 0 }
        case .not: broadcast.apply(x, y, out) { x, _ in x == 0 ? 1 : 0 }
        }
    }
}
