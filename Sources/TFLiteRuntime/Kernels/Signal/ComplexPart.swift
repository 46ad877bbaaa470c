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

/// REAL, IMAG and COMPLEX_ABS: the real part, the imaginary part or the magnitude
/// (`hypot`, as `std::abs` of a complex number) of each complex64 element, as float32.
final class ComplexPartKernel: Kernel {
    enum Part { case real, imaginary, magnitude }

    private let node: Node
    private let part: Part

    init(_ node: Node, _ part: Part) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        self.part = part
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard input.type == .complex64 else { throw node.unsupported("\(input.type) input is not supported") }
        guard tensors[outputIndex].type == .float32 else { throw node.unsupported("\(tensors[outputIndex].type) output is not supported") }
        try ShapeOps.requireData(input, node, "the input")
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let source = input.buffer(Float.self), destination = tensors[try node.output(0)].buffer(Float.self)
        let count = input.elementCount
        guard source.count >= 2 * count, destination.count >= count else { throw node.failure("tensor sizes changed after prepare") }
        switch part {
        case .real: for index in 0..<count { destination[index] = source[2 * index] }
        case .imaginary: for index in 0..<count { destination[index] = source[2 * index + 1] }
        case .magnitude: for index in 0..<count { destination[index] = hypotf(source[2 * index], source[2 * index + 1]) }
        }
    }
}
