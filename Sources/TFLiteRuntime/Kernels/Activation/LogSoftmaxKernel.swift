import Foundation
import TFLiteModel

/// LOG_SOFTMAX over the last axis (float32, as LiteRT's reference kernel).
final class LogSoftmaxKernel: Kernel {
    private let node: Node
    private var depth = 0
    private var outer = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard input.type == .float32, tensors[outputIndex].type == .float32 else {
            throw node.unsupported("\(input.type) input is not supported (float32 only)")
        }
        guard !input.shape.isEmpty else { throw node.invalid("input must have at least one dimension") }
        tensors[outputIndex].shape = input.shape
        depth = input.shape.last ?? 1
        outer = depth == 0 ? 0 : input.elementCount / depth
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard output.elementCount == input.elementCount, input.elementCount == outer * depth else {
            throw node.failure("tensor sizes changed after prepare")
        }
        guard let x = input.buffer(Float.self).baseAddress, let y = output.buffer(Float.self).baseAddress else { return }
        for row in 0..<outer {
            let base = row * depth
            var maximum = -Float.greatestFiniteMagnitude
            for c in 0..<depth { maximum = max(maximum, x[base + c]) }
            var sum: Float = 0
            for c in 0..<depth { sum += Foundation.exp(x[base + c] - maximum) }
            let logSum = Foundation.log(sum)
            for c in 0..<depth { y[base + c] = x[base + c] - maximum - logSum }
        }
    }
}
