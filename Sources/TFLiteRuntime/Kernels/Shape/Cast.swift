import TFLiteModel

/// CAST between float32, int32, int64, int8, uint8, int16 and bool (any pair), as C++'s
/// `static_cast` does on x86-64: float → integer truncates toward zero (out-of-range and NaN
/// give the "integer indefinite" value, then narrowing wraps), integer narrowing wraps, and
/// anything → bool is `value != 0`. Quantization is ignored (raw values), like LiteRT.
final class CastKernel: Kernel {
    private let node: Node
    private static let types: Set<TensorType> = [.float32, .int32, .int64, .int8, .uint8, .int16, .bool]

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        guard Self.types.contains(input.type), Self.types.contains(output.type) else {
            throw node.unsupported("cast from \(input.type) to \(output.type) is not supported")
        }
        try ShapeOps.requireData(input, node, "the input")
        tensors[outputIndex].shape = input.shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let count = input.elementCount
        guard count > 0, let source = input.data, let destination = output.data else { return }
        switch input.type {
        case .float32: Self.from(source.assumingMemoryBound(to: Float.self), count, destination, output.type)
        case .int32: Self.from(source.assumingMemoryBound(to: Int32.self), count, destination, output.type)
        case .int64: Self.from(source.assumingMemoryBound(to: Int64.self), count, destination, output.type)
        case .int8: Self.from(source.assumingMemoryBound(to: Int8.self), count, destination, output.type)
        case .uint8: Self.from(source.assumingMemoryBound(to: UInt8.self), count, destination, output.type)
        case .int16: Self.from(source.assumingMemoryBound(to: Int16.self), count, destination, output.type)
        default: Self.from(source.assumingMemoryBound(to: CastBool.self), count, destination, output.type)
        }
    }

    /// One source element as a 64-bit integer, as x86's truncating conversions give it.
    @inline(__always)
    static func integer(_ value: Float, to64: Bool) -> Int64 {
        guard value.isFinite else { return to64 ? Int64.min : Int64(Int32.min) }
        let truncated = value.rounded(.towardZero)
        if to64 {
            return truncated >= 9.223372e18 || truncated < -9.223372e18 ? Int64.min : Int64(truncated)
        }
        return truncated >= 2147483648 || truncated < -2147483648 ? Int64(Int32.min) : Int64(truncated)
    }

    private static func from<S: CastSource>(_ source: UnsafePointer<S>, _ count: Int, _ destination: UnsafeMutableRawPointer,
                                            _ type: TensorType) {
        func convert<D>(_ body: (S) -> D) {
            let d = destination.assumingMemoryBound(to: D.self)
            for i in 0..<count { d[i] = body(source[i]) }
        }
        switch type {
        case .float32: convert { $0.castFloat }
        case .int32: convert { Int32(truncatingIfNeeded: $0.castInteger(to64: false)) }
        case .int64: convert { $0.castInteger(to64: true) }
        case .int8: convert { Int8(truncatingIfNeeded: $0.castInteger(to64: false)) }
        case .uint8: convert { UInt8(truncatingIfNeeded: $0.castInteger(to64: false)) }
        case .int16: convert { Int16(truncatingIfNeeded: $0.castInteger(to64: false)) }
        default: convert { UInt8($0.isNonZero ? 1 : 0) }
        }
    }
}

/// A CAST source element type.
protocol CastSource {
    var castFloat: Float { get }
    func castInteger(to64: Bool) -> Int64
    var isNonZero: Bool { get }
}

extension Float: CastSource {
    var castFloat: Float { self }
    func castInteger(to64: Bool) -> Int64 { CastKernel.integer(self, to64: to64) }
    var isNonZero: Bool { self != 0 }
}

extension CastSource where Self: BinaryInteger {
    var castFloat: Float { Float(self) }
    func castInteger(to64: Bool) -> Int64 { Int64(truncatingIfNeeded: self) }
    var isNonZero: Bool { self != 0 }
}

extension Int32: CastSource {}
extension Int64: CastSource {}
extension Int8: CastSource {}
extension UInt8: CastSource {}
extension Int16: CastSource {}

/// A bool element (one byte, any non-zero byte is true).
struct CastBool: CastSource {
    var raw: UInt8
    var castFloat: Float { raw != 0 ? 1 : 0 }
    func castInteger(to64: Bool) -> Int64 { raw != 0 ? 1 : 0 }
    var isNonZero: Bool { raw != 0 }
}
