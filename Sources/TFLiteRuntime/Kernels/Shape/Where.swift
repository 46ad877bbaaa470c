import TFLiteModel

/// WHERE (one input): the int64 coordinates `[count, rank]` of the condition's true (non-zero)
/// elements in row-major order, for bool, float32, int32, int64, int8 and uint8 conditions.
///
/// The output's length depends on the values: a condition known at prepare (a model constant
/// or a folded result, such as a comparison over SHAPE) sizes it then; a computed one makes
/// the interpreter prepare the operator at `invoke()` (``TensorTable/deferToRunTime(_:_:)``).
final class WhereKernel: Kernel {
    private let node: Node
    private var count = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let condition = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard [.bool, .float32, .int32, .int64, .int8, .uint8].contains(condition.type) else {
            throw node.unsupported("\(condition.type) condition is not supported")
        }
        guard tensors[outputIndex].type == .int64 else { throw node.invalid("the output must be int64, not \(tensors[outputIndex].type)") }
        guard tensors.valuesKnown(condition) else { throw tensors.deferToRunTime(node, "dynamic output shape: the condition input is not constant") }
        try ShapeOps.requireData(condition, node, "condition")
        count = 0
        for index in 0..<condition.elementCount where isTrue(condition, index) { count += 1 }
        tensors[outputIndex].shape = [count, condition.shape.count]
    }

    private func isTrue(_ tensor: RuntimeTensor, _ index: Int) -> Bool {
        switch tensor.type {
        case .float32: tensor.buffer(Float.self)[index] != 0
        case .int32: tensor.buffer(Int32.self)[index] != 0
        case .int64: tensor.buffer(Int64.self)[index] != 0
        default: tensor.buffer(UInt8.self)[index] != 0
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let condition = tensors[try node.input(0)]
        let output = tensors[try node.output(0)].buffer(Int64.self)
        let shape = condition.shape
        let rank = shape.count
        guard output.count >= count * rank, condition.bytes.count >= condition.elementCount * (condition.type.byteWidth ?? 1) else {
            throw node.failure("tensor sizes changed after prepare")
        }
        var row = 0
        for index in 0..<condition.elementCount where isTrue(condition, index) {
            guard row < count else { throw node.failure("the condition changed after prepare") }
            var rest = index
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                output[row * rank + axis] = Int64(rest % shape[axis])
                rest /= shape[axis]
            }
            row += 1
        }
        guard row == count else { throw node.failure("the condition changed after prepare") }
    }
}
