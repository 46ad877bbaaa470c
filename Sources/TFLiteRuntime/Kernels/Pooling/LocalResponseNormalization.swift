#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// LOCAL_RESPONSE_NORMALIZATION on a 4-D float32 tensor: each element times
/// `(bias + alpha · Σ x²)^−beta`, in float32 as LiteRT's kernels compute it. LiteRT sums the
/// channels `c − radius ..< c + radius` (clipped at the edges): `2·radius` of them, one fewer
/// than TensorFlow's window, which also takes `c + radius`; the interpreter follows LiteRT.
final class LocalResponseNormalizationKernel: Kernel {
    private let node: Node
    private let radius: Int
    private let bias: Float
    private let alpha: Float
    private let beta: Float

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: LocalResponseNormalizationOptions.self)
        guard options.radius >= 0 else { throw node.invalid("radius \(options.radius) is negative") }
        radius = Int(options.radius)
        bias = options.bias
        alpha = options.alpha
        beta = options.beta
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard input.type == .float32 else { throw node.unsupported("\(input.type) input is not supported") }
        guard tensors[outputIndex].type == .float32 else { throw node.invalid("the output must be float32, not \(tensors[outputIndex].type)") }
        guard input.shape.count == 4 else { throw node.invalid("the input must be 4-D, got \(input.shape)") }
        try ShapeOps.requireData(input, node, "the input")
        let window = min(2 * radius, max(input.shape[3], 1))
        try tensors.checkReads(input.elementCount, window, node: node)
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let source = input.buffer(Float.self), destination = output.buffer(Float.self)
        let count = input.elementCount
        guard source.count >= count, destination.count >= count else { throw node.failure("tensor sizes changed after prepare") }
        let depth = input.shape[3]
        guard depth > 0 else { return }
        for row in stride(from: 0, to: count, by: depth) {
            for channel in 0..<depth {
                let begin = max(0, channel - radius), end = min(depth, channel + radius)
                var sum: Float = 0
                for index in begin..<end {
                    let value = source[row + index]
                    sum += value * value
                }
                destination[row + channel] = source[row + channel] * powf(bias + alpha * sum, -beta)
            }
        }
    }
}
