import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// An elementwise ADD or MUL whose repeating input (a per-channel scale or bias) is a constant
/// tiles it once at prepare; one fed as a graph input is tiled again at every run. The constant
/// form gives what the input form gives for the same values (int8 and float32, 1-3 threads), and
/// a second `invoke()` with new values for the input form gives what a fresh interpreter gives.
struct PeriodicConstantTests {
    static let shape = [1, 9, 10, 12]

    /// `op(x, p)` of a `[1, 9, 10, 12]` x and a `[12]` p: p constant (`values` in its buffer)
    /// or, when `values` is nil, the second graph input.
    static func model(_ op: String, code: Int, type: String, values: [UInt8]?) throws -> Data {
        let q = type == "INT8" ? [", \"quantization\": { \"scale\": [0.05], \"zero_point\": [3] }",
                                  ", \"quantization\": { \"scale\": [0.02], \"zero_point\": [-7] }",
                                  ", \"quantization\": { \"scale\": [0.04], \"zero_point\": [-2] }"] : ["", "", ""]
        let constant = values != nil
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": \(code), "builtin_code": "\(op)" }],
          "subgraphs": [{
            "tensors": [
              { "shape": \(shape), "type": "\(type)", "buffer": 0, "name": "x"\(q[0]) },
              { "shape": [12], "type": "\(type)", "buffer": \(constant ? 1 : 0), "name": "p"\(q[1]) },
              { "shape": \(shape), "type": "\(type)", "buffer": 0, "name": "y"\(q[2]) }
            ],
            "inputs": \(constant ? "[0]" : "[0, 1]"), "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2] }]
          }],
          "buffers": [{}\(values.map { ", { \"data\": \($0) }" } ?? "")]
        }
        """))
    }

    static func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }

    static let operators: [(name: String, code: Int)] = [("MUL", 18), ("ADD", 0)]

    /// For each operator and 1-3 threads: the outputs of the constant form and of the input
    /// form for x and p (expected equal), checked by `check(name, threads, constant, input)`.
    static func bothForms<T: Equatable>(type: String, x: [T], p: [T],
                                        _ check: (String, Int, [T], [T]) -> Void) throws {
        for (name, code) in Self.operators {
            let constant = try Self.model(name, code: code, type: type, values: Array(Self.bytes(p)))
            let input = try Self.model(name, code: code, type: type, values: nil)
            for threads in 1...3 {
                let fromConstant = try Interpreter.firstOutput(of: constant, inputs: [Self.bytes(x)], threads: threads, as: T.self)
                let fromInput = try Interpreter.firstOutput(of: input, inputs: [Self.bytes(x), Self.bytes(p)], threads: threads, as: T.self)
                check(name, threads, fromConstant, fromInput)
            }
        }
    }

    @Test func int8ConstantMatchesInput() throws {
        let x = (0..<Self.shape.reduce(1, *)).map { Int8(truncatingIfNeeded: $0 &* 29 &- 100) }
        let p = (0..<12).map { Int8(truncatingIfNeeded: $0 * 23 - 120) }
        try Self.bothForms(type: "INT8", x: x, p: p) { name, threads, fromConstant, fromInput in
            #expect(fromConstant == fromInput, "\(name) threads \(threads)")
            #expect(Set(fromConstant).count > 12, "\(name): outputs vary")
        }
    }

    @Test func floatConstantMatchesInput() throws {
        let count = Self.shape.reduce(1, *)
        let x = (0..<count).map { Float($0 % 37) / 8 - 2 }
        let p = (0..<12).map { Float($0) / 4 - 1.3 }
        try Self.bothForms(type: "FLOAT32", x: x, p: p) { name, threads, fromConstant, fromInput in
            #expect(fromConstant == fromInput, "\(name) threads \(threads)")
            let multiplies = name == "MUL"
            let expected = (0..<count).map { (i: Int) -> Float in
                let a = x[i], b = p[i % 12]
                return multiplies ? a * b : a + b
            }
            #expect(fromConstant == expected, "\(name) threads \(threads)")
        }
    }

    @Test func anInputIsTiledAtEveryRun() throws {
        let count = Self.shape.reduce(1, *)
        let x = (0..<count).map { Int8(truncatingIfNeeded: $0 &* 29 &- 100) }
        let first = (0..<12).map { Int8(truncatingIfNeeded: $0 * 23 - 120) }
        let second = (0..<12).map { Int8(truncatingIfNeeded: 90 - $0 * 17) }
        for (name, code) in Self.operators {
            let data = try Self.model(name, code: code, type: "INT8", values: nil)
            let interpreter = try Interpreter(modelData: data, options: Interpreter.Options(threadCount: 1))
            try interpreter.allocateTensors()
            _ = try interpreter.copy(Self.bytes(x), toInputAt: 0)
            _ = try interpreter.copy(Self.bytes(first), toInputAt: 1)
            try interpreter.invoke()
            let withFirst = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Int8.self)) }
            _ = try interpreter.copy(Self.bytes(second), toInputAt: 1)
            try interpreter.invoke()
            let withSecond = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Int8.self)) }
            let fresh = try Interpreter.firstOutput(of: data, inputs: [Self.bytes(x), Self.bytes(second)], threads: 1, as: Int8.self)
            #expect(withSecond == fresh, "\(name)")
            #expect(withSecond != withFirst, "\(name)")
        }
    }
}
