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

/// FLOOR_DIV, FLOOR_MOD and POW on plain (unquantized) numbers, broadcasting up to 6-D, as
/// LiteRT's kernels compute them:
///
/// - FLOOR_DIV: `floor(a / b)` computed in double (float32, int32, int16, int8);
/// - FLOOR_MOD: the remainder with the divisor's sign (float32 through `fmod`, int32/int64/int16/int8);
/// - POW: `powf` for float32, repeated squaring (wrapping) for int32.
///
/// A zero divisor (FLOOR_DIV, FLOOR_MOD) and a negative integer exponent (POW) fail the
/// invoke, as LiteRT's checks do.
final class FloorAndPowerKernel: Kernel {
    enum Operation {
        case floorDiv, floorMod, pow

        var supportedTypes: [TensorType] {
            switch self {
            case .floorDiv: [.float32, .int32, .int16, .int8]
            case .floorMod: [.float32, .int32, .int64, .int16, .int8]
            case .pow: [.float32, .int32]
            }
        }
    }

    private let node: Node
    private let operation: Operation
    private var broadcast = BinaryBroadcast()
    private var type = TensorType.float32

    init(_ node: Node, _ operation: Operation) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        self.operation = operation
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let a = tensors[try node.input(0)]
        let b = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        guard a.type == b.type else { throw node.invalid("input types differ (\(a.type) and \(b.type))") }
        guard operation.supportedTypes.contains(a.type) else { throw node.unsupported("\(a.type) inputs are not supported") }
        guard tensors[outputIndex].type == a.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(a.type)")
        }
        try ShapeOps.requireData(a, node, "input 0")
        try ShapeOps.requireData(b, node, "input 1")
        type = a.type
        broadcast = try BinaryBroadcast(a.shape, b.shape, node: node)
        tensors[outputIndex].shape = broadcast.outputShape
        if operation == .pow, type == .int32 {
            // Up to 31 squarings and multiplications per element.
            try tensors.checkWork(broadcast.outputCount, 62, node: node)
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let a = tensors[try node.input(0)]
        let b = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard output.elementCount == broadcast.outputCount else { throw node.failure("tensor sizes changed after prepare") }
        switch (operation, type) {
        case (.floorDiv, .float32):
            try checkDivisors(b, Float.self)
            try apply(a, b, output) { (x: Float, y: Float) in Float(floor(Double(x) / Double(y))) }
        case (.floorDiv, .int32): try floorDivide(Int32.self, a, b, output)
        case (.floorDiv, .int16): try floorDivide(Int16.self, a, b, output)
        case (.floorDiv, .int8): try floorDivide(Int8.self, a, b, output)
        case (.floorMod, .float32):
            try checkDivisors(b, Float.self)
            try apply(a, b, output) { (x: Float, y: Float) in
                let remainder = fmod(x, y)
                return remainder != 0 && ((y < 0) != (remainder < 0)) ? remainder + y : remainder
            }
        case (.floorMod, .int32): try floorModulo(Int32.self, a, b, output)
        case (.floorMod, .int64): try floorModulo(Int64.self, a, b, output)
        case (.floorMod, .int16): try floorModulo(Int16.self, a, b, output)
        case (.floorMod, .int8): try floorModulo(Int8.self, a, b, output)
        case (.pow, .float32):
            try apply(a, b, output) { (x: Float, y: Float) in powf(x, y) }
        case (.pow, .int32):
            let exponents = b.buffer(Int32.self)
            for index in 0..<min(b.elementCount, exponents.count) where exponents[index] < 0 {
                throw node.failure("integer to a negative integer power (exponent \(exponents[index]))")
            }
            try apply(a, b, output) { (x: Int32, y: Int32) in Self.integerPower(x, y) }
        default:
            throw node.unsupported("\(type) inputs are not supported")
        }
    }

    /// `base` to the non-negative `exponent` by squaring, wrapping like C++ int arithmetic.
    static func integerPower(_ base: Int32, _ exponent: Int32) -> Int32 {
        var result: Int32 = 1
        var square = base
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result = result &* square }
            square = square &* square
            remaining >>= 1
        }
        return result
    }

    private func floorDivide<T: BinaryInteger & FixedWidthInteger>(_: T.Type, _ a: RuntimeTensor, _ b: RuntimeTensor,
                                                                    _ output: RuntimeTensor) throws(InterpreterError) {
        try checkDivisors(b, T.self)
        try apply(a, b, output) { (x: T, y: T) in
            T(truncatingIfNeeded: Int64(floor(Double(x) / Double(y))))
        }
    }

    private func floorModulo<T: BinaryInteger & FixedWidthInteger>(_: T.Type, _ a: RuntimeTensor, _ b: RuntimeTensor,
                                                                    _ output: RuntimeTensor) throws(InterpreterError) {
        try checkDivisors(b, T.self)
        try apply(a, b, output) { (x: T, y: T) in
            // T.min % -1 overflows in C++ (undefined); its remainder is 0.
            let (remainder, overflow) = x.remainderReportingOverflow(dividingBy: y)
            let truncated = overflow ? 0 : remainder
            return truncated != 0 && ((y < 0) != (truncated < 0)) ? truncated &+ y : truncated
        }
    }

    /// Fails when the divisor input holds a zero (LiteRT checks every element before dividing).
    private func checkDivisors<T: Numeric>(_ b: RuntimeTensor, _: T.Type) throws(InterpreterError) {
        let divisors = b.buffer(T.self)
        for index in 0..<min(b.elementCount, divisors.count) where divisors[index] == 0 {
            throw node.failure("division by zero")
        }
    }

    private func apply<T>(_ a: RuntimeTensor, _ b: RuntimeTensor, _ output: RuntimeTensor,
                          _ body: (T, T) -> T) throws(InterpreterError) {
        let x = a.buffer(T.self), y = b.buffer(T.self), out = output.buffer(T.self)
        guard x.count >= a.elementCount, y.count >= b.elementCount, out.count >= broadcast.outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        guard broadcast.outputCount > 0, let pa = x.baseAddress, let pb = y.baseAddress, let po = out.baseAddress else { return }
        broadcast.apply(UnsafePointer(pa), UnsafePointer(pb), po, body)
    }
}
