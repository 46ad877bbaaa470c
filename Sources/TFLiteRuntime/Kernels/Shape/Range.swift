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

/// RANGE: `start, start + delta, …` up to (not including) `limit`, three scalars of one type
/// (int32, int64, float32), each value the previous plus `delta` as LiteRT accumulates them.
///
/// The output's length depends on the values: inputs known at prepare (model constants, or
/// results folded there, such as a RANGE over `tf.shape(x)` of a resized input) size it then;
/// computed ones make the interpreter prepare the operator at `invoke()`
/// (``TensorTable/deferToRunTime(_:_:)``), where a hostile bound meets the memory and work
/// limits before anything is allocated.
final class RangeKernel: Kernel {
    private let node: Node
    private var type = TensorType.int32
    private var count = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let start = tensors[try node.input(0)]
        let limit = tensors[try node.input(1)]
        let delta = tensors[try node.input(2)]
        let outputIndex = try node.output(0)
        type = start.type
        guard [.int32, .int64, .float32].contains(type) else { throw node.unsupported("\(type) inputs are not supported") }
        guard limit.type == type, delta.type == type, tensors[outputIndex].type == type else {
            throw node.invalid("start, limit, delta and output types differ (\(type), \(limit.type), \(delta.type), \(tensors[outputIndex].type))")
        }
        for (tensor, name) in [(start, "start"), (limit, "limit"), (delta, "delta")] {
            guard tensor.elementCount == 1 else { throw node.invalid("\(name) must be a scalar, got shape \(tensor.shape)") }
            guard tensors.valuesKnown(tensor) else { throw tensors.deferToRunTime(node, "dynamic output shape: the \(name) input is not constant") }
            try ShapeOps.requireData(tensor, node, name)
        }
        count = try size(start, limit, delta)
        _ = try ShapeOps.plannedCount([count], width: type.byteWidth ?? 4, node, tensors)
        tensors[outputIndex].shape = [count]
    }

    /// The number of values (LiteRT's `GetSize`), refusing a zero `delta` or one pointing away
    /// from `limit`.
    private func size(_ start: RuntimeTensor, _ limit: RuntimeTensor, _ delta: RuntimeTensor) throws(InterpreterError) -> Int {
        switch type {
        case .float32:
            let (a, b, d) = (start.buffer(Float.self).first ?? 0, limit.buffer(Float.self).first ?? 0, delta.buffer(Float.self).first ?? 0)
            try checkDirection(a, b, d)
            let size = ceil(Swift.abs((b - a) / d))
            guard size.isFinite, size < Float(Int32.max) else { throw node.invalid("the range holds too many values") }
            return Int(size)
        case .int32:
            let (a, b, d) = (start.buffer(Int32.self).first ?? 0, limit.buffer(Int32.self).first ?? 0, delta.buffer(Int32.self).first ?? 0)
            try checkDirection(a, b, d)
            return integerSize(Int64(a), Int64(b), Int64(d))
        default:
            let (a, b, d) = (start.buffer(Int64.self).first ?? 0, limit.buffer(Int64.self).first ?? 0, delta.buffer(Int64.self).first ?? 0)
            try checkDirection(a, b, d)
            guard let a32 = Int32(exactly: a), let b32 = Int32(exactly: b), let d32 = Int32(exactly: d) else {
                throw node.unsupported("int64 bounds beyond the int32 range are not supported")
            }
            return integerSize(Int64(a32), Int64(b32), Int64(d32))
        }
    }

    private func integerSize(_ start: Int64, _ limit: Int64, _ delta: Int64) -> Int {
        Int((Swift.abs(limit - start) + Swift.abs(delta) - 1) / Swift.abs(delta))
    }

    private func checkDirection<T: Comparable & Numeric>(_ start: T, _ limit: T, _ delta: T) throws(InterpreterError) {
        guard delta != 0 else { throw node.invalid("delta is zero") }
        guard (start >= limit && delta < 0) || (start <= limit && delta > 0) else {
            throw node.invalid("delta points away from limit")
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let start = tensors[try node.input(0)]
        let delta = tensors[try node.input(2)]
        let output = tensors[try node.output(0)]
        switch type {
        case .float32: try fill(Float.self, start, delta, output, +)
        case .int32: try fill(Int32.self, start, delta, output, &+)
        default: try fill(Int64.self, start, delta, output, &+)
        }
    }

    private func fill<T>(_: T.Type, _ start: RuntimeTensor, _ delta: RuntimeTensor, _ output: RuntimeTensor,
                         _ add: (T, T) -> T) throws(InterpreterError) {
        let destination = output.buffer(T.self)
        guard let first = start.buffer(T.self).first, let step = delta.buffer(T.self).first, destination.count >= count else {
            if count == 0 { return }
            throw node.failure("tensor sizes changed after prepare")
        }
        var value = first
        for index in 0..<count {
            destination[index] = value
            value = add(value, step)
        }
    }
}
