import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// PRELU and the index-map copies (PAD here; SLICE, TILE, TRANSPOSE and MIRROR_PAD share the
/// walk) split their outputs over the pool. Outputs large enough to split, on 1, 2 and 3
/// threads: float PRELU and PAD against their definitions, int8 PRELU against its own
/// one-thread result (the conformance cases compare small shapes with LiteRT).
struct ParallelSplitTests {
    /// `PRELU(x, alpha)`, float32 or int8 (with fixed scales and zero points).
    static func preluModel(_ input: [Int], _ alpha: [Int], int8: Bool) throws -> Data {
        let type = int8 ? "INT8" : "FLOAT32"
        func quantization(_ scale: Double, _ zeroPoint: Int) -> String {
            int8 ? ", \"quantization\": { \"scale\": [\(scale)], \"zero_point\": [\(zeroPoint)] }" : ""
        }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 54, "builtin_code": "PRELU", "version": 1 }],
          "subgraphs": [{
            "tensors": [
              { "shape": \(input), "type": "\(type)", "buffer": 0, "name": "x"\(quantization(0.05, 3)) },
              { "shape": \(alpha), "type": "\(type)", "buffer": 0, "name": "alpha"\(quantization(0.01, -7)) },
              { "shape": \(input), "type": "\(type)", "buffer": 0, "name": "y"\(quantization(0.04, -2)) }
            ],
            "inputs": [0, 1], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2] }]
          }],
          "buffers": [{}]
        }
        """))
    }

    /// `PAD(x, paddings)` of a float32 `[1, h, w, c]` input.
    static func padModel(_ input: [Int], _ paddings: [[Int32]]) throws -> Data {
        let output = zip(input, paddings).map { $0 + Int($1[0]) + Int($1[1]) }
        let bytes = paddings.flatMap { $0 }.withUnsafeBytes { Array($0) }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 34, "builtin_code": "PAD", "version": 1 }],
          "subgraphs": [{
            "tensors": [
              { "shape": \(input), "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [4, 2], "type": "INT32", "buffer": 1, "name": "paddings" },
              { "shape": \(output), "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2] }]
          }],
          "buffers": [{}, { "data": \(bytes) }]
        }
        """))
    }

    /// Alpha shapes: per channel (one row repeated), scalar, whole, broadcast along W.
    static let alphaShapes: [[Int]] = [[1, 1, 24], [1], [1, 40, 40, 24], [1, 40, 1, 24]]

    @Test(arguments: alphaShapes)
    func floatPReluMatchesItsDefinitionOnEveryThreadCount(_ alphaShape: [Int]) throws {
        let input = [1, 40, 40, 24]
        var generator = SystemRandomNumberGenerator()
        let x = (0..<input.reduce(1, *)).map { _ in Float.random(in: -3...3, using: &generator) }
        let alpha = (0..<alphaShape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) }
        let padded = [Int](repeating: 1, count: 4 - alphaShape.count) + alphaShape
        var expected: [Float] = []
        for h in 0..<40 {
            for w in 0..<40 {
                for c in 0..<24 {
                    let value = x[(h * 40 + w) * 24 + c]
                    let a = alpha[((padded[1] == 1 ? 0 : h) * padded[2] + (padded[2] == 1 ? 0 : w)) * padded[3] + (padded[3] == 1 ? 0 : c)]
                    expected.append(value >= 0 ? value : value * a)
                }
            }
        }
        let data = try Self.preluModel(input, alphaShape, int8: false)
        let inputs = [Data(x.withUnsafeBytes { $0 }), Data(alpha.withUnsafeBytes { $0 })]
        for threads in 1...3 {
            let y = try Interpreter.firstOutput(of: data, inputs: inputs, threads: threads, as: Float.self)
            #expect(y == expected, "alpha \(alphaShape), \(threads) threads")
        }
    }

    @Test(arguments: alphaShapes)
    func int8PReluIsTheSameOnEveryThreadCount(_ alphaShape: [Int]) throws {
        let input = [1, 40, 40, 24]
        var generator = SystemRandomNumberGenerator()
        let x = (0..<input.reduce(1, *)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
        let alpha = (0..<alphaShape.reduce(1, *)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
        let data = try Self.preluModel(input, alphaShape, int8: true)
        let inputs = [Data(x.withUnsafeBytes { $0 }), Data(alpha.withUnsafeBytes { $0 })]
        let one = try Interpreter.firstOutput(of: data, inputs: inputs, threads: 1, as: Int8.self)
        #expect(one.count == x.count)
        #expect(Set(one).count > 16, "the outputs vary")
        for threads in 2...3 {
            let y = try Interpreter.firstOutput(of: data, inputs: inputs, threads: threads, as: Int8.self)
            #expect(y == one, "alpha \(alphaShape), \(threads) threads")
        }
    }

    /// Paddings: H and W (rows of fills and copies), channels only (every row a copy and a fill).
    @Test(arguments: [[[0, 0], [1, 2], [2, 1], [0, 0]], [[0, 0], [0, 0], [0, 0], [0, 13]], [[0, 1], [3, 0], [0, 0], [5, 0]]] as [[[Int32]]])
    func padMatchesItsDefinitionOnEveryThreadCount(_ paddings: [[Int32]]) throws {
        let input = [1, 37, 41, 19]
        let x = (0..<input.reduce(1, *)).map { Float($0 % 1000) + 1 }
        let output = zip(input, paddings).map { $0 + Int($1[0]) + Int($1[1]) }
        var expected: [Float] = []
        for n in 0..<output[0] {
            for h in 0..<output[1] {
                for w in 0..<output[2] {
                    for c in 0..<output[3] {
                        let i = [n, h, w, c].enumerated().map { $1 - Int(paddings[$0][0]) }
                        let inside = zip(i, input).allSatisfy { $0 >= 0 && $0 < $1 }
                        expected.append(inside ? x[((i[0] * input[1] + i[1]) * input[2] + i[2]) * input[3] + i[3]] : 0)
                    }
                }
            }
        }
        #expect(expected.count * 4 >= 3 * IndexMapCopy.bytesPerThread, "large enough to split three ways")
        let data = try Self.padModel(input, paddings)
        for threads in 1...3 {
            let y = try Interpreter.firstOutput(of: data, inputs: [Data(x.withUnsafeBytes { $0 })], threads: threads, as: Float.self)
            #expect(y == expected, "paddings \(paddings), \(threads) threads")
        }
    }
}
