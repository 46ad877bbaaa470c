#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// L2_NORMALIZATION along the last axis: `x / max(‖x‖, 1e-6)`.
///
/// float32 computes in float. uint8 and int8 follow LiteRT's integer reference: the squared
/// norm of the zero-point-free values in int32, its inverse square root as a fixed-point
/// multiplier (``Gemmlowp/inverseSqrtMultiplier(_:)``, gemmlowp's Newton–Raphson
/// iteration), outputs on LiteRT's fixed scale 1/128 (zero point 128 for uint8, 0 for int8).
/// The two types rescale differently, as in LiteRT: uint8 with
/// `MultiplyByQuantizedMultiplierSmallerThanOneExp(128 × diff)`, int8 with
/// `MultiplyByQuantizedMultiplier(diff, shift + 7)`.
final class L2NormalizationKernel: Kernel {
    private let node: Node
    private var outer = 0
    private var depth = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        // LiteRT accepts only NONE.
        let activation = try FusedActivation(raw: try node.options(expecting: L2NormOptions.self).fusedActivationFunction, node: node)
        guard activation == .none else { throw node.unsupported("fused activation \(activation) on L2_NORMALIZATION") }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        guard let last = input.shape.last, last > 0 else { throw node.invalid("input needs a non-empty last dimension, got \(input.shape)") }
        switch input.type {
        case .float32: break
        case .uint8, .int8:
            guard input.quantization != nil else { throw node.invalid("quantized input needs quantization") }
            let expectedZero: Int32 = input.type == .uint8 ? 128 : 0
            guard output.quantization != nil, output.scale == 1.0 / 128.0, output.zeroPoint == expectedZero else {
                throw node.unsupported("quantized output must have scale 1/128 and zero point \(expectedZero)")
            }
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        guard output.type == input.type else { throw node.invalid("output type \(output.type) differs from input type \(input.type)") }
        depth = last
        outer = input.elementCount / last
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let count = outer * depth
        guard input.elementCount == count, output.elementCount == count else { throw node.failure("tensor sizes changed after prepare") }
        let depth = self.depth
        switch input.type {
        case .float32:
            let x = try ConvSupport.checked(input, Float.self, count: count, node: node)
            let y = try ConvSupport.checked(output, Float.self, count: count, node: node)
            for row in 0..<outer {
                let base = row * depth
                var squared: Float = 0
                for c in 0..<depth { squared += x[base + c] * x[base + c] }
                let norm = max(squared.squareRoot(), 1e-6)
                for c in 0..<depth { y[base + c] = x[base + c] / norm }
            }
        case .uint8:
            let x = try ConvSupport.checked(input, UInt8.self, count: count, node: node)
            let y = try ConvSupport.checked(output, UInt8.self, count: count, node: node)
            let zeroPoint = input.zeroPoint
            for row in 0..<outer {
                let base = row * depth
                let m = Gemmlowp.inverseSqrtMultiplier(Self.squaredDeviation(x + base, count: depth, zeroPoint: zeroPoint))
                for c in 0..<depth {
                    let diff = Int32(x[base + c]) - zeroPoint
                    let rescaled = FixedPoint.multiplySmallerThanOne(128 &* diff, by: m)
                    y[base + c] = UInt8(min(255, max(0, 128 &+ rescaled)))
                }
            }
        case .int8:
            let x = try ConvSupport.checked(input, Int8.self, count: count, node: node)
            let y = try ConvSupport.checked(output, Int8.self, count: count, node: node)
            let zeroPoint = input.zeroPoint
            for row in 0..<outer {
                let base = row * depth
                let m = Gemmlowp.inverseSqrtMultiplier(Self.squaredDeviation(x + base, count: depth, zeroPoint: zeroPoint))
                let scaled = FixedPoint.Multiplier(multiplier: m.multiplier, shift: m.shift + 7)
                for c in 0..<depth {
                    let diff = Int32(x[base + c]) - zeroPoint
                    y[base + c] = Int8(min(127, max(-128, FixedPoint.multiply(diff, by: scaled))))
                }
            }
        default:
            throw node.unsupported("input type \(input.type) is not supported")
        }
    }

    /// The wrapping sum of `(x[c] - zeroPoint)²` over one quantized row, in order (the uint8 and
    /// int8 paths' squared norm). Always inlined, so each row loop keeps its own specialised code.
    @inline(__always)
    static func squaredDeviation<T: BinaryInteger>(_ x: UnsafeMutablePointer<T>, count: Int, zeroPoint: Int32) -> Int32 {
        var squared: Int32 = 0
        for c in 0..<count {
            let diff = Int32(x[c]) - zeroPoint
            squared &+= diff &* diff
        }
        return squared
    }
}
