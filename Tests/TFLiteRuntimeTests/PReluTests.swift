import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// float32 PRELU runs per-channel alphas as contiguous runs against a tiled alpha and same-shape
/// alphas split over the pool. The conformance cases `prelu_*` compare small shapes with LiteRT;
/// here, inputs large enough to split over threads, in each alpha layout, on 1, 2 and 3 threads,
/// against the plain `x ≥ 0 ? x : x · alpha`, bit for bit (NaN and signed zeros included).
struct PReluTests {
    /// `PRELU(x, alpha)` of float32 tensors.
    static func model(input: [Int], alpha: [Int]) throws -> Data {
        func tensor(_ shape: [Int], _ name: String) -> String {
            "{ \"shape\": \(shape), \"type\": \"FLOAT32\", \"buffer\": 0, \"name\": \"\(name)\" }"
        }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 54, "builtin_code": "PRELU" }],
          "subgraphs": [{
            "tensors": [\(tensor(input, "x")), \(tensor(alpha, "alpha")), \(tensor(input, "y"))],
            "inputs": [0, 1], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2] }]
          }],
          "buffers": [{}]
        }
        """))
    }

    /// Per channel (periodic, period under and over one run), same shape, per pixel (general),
    /// and a scalar alpha.
    static let layouts: [([Int], [Int])] = [
        ([1, 48, 40, 16], [1, 1, 16]),
        ([1, 30, 20, 3], [3]),
        ([1, 6, 4, 1500], [1, 1, 1500]),
        ([1, 32, 20, 24], [1, 32, 20, 24]),
        ([1, 32, 20, 24], [1, 32, 20, 1]),
        ([1, 32, 20, 24], [1]),
    ]

    @Test func float32MatchesPlainLoop() throws {
        var generator = SystemRandomNumberGenerator()
        for (inputShape, alphaShape) in Self.layouts {
            let data = try Self.model(input: inputShape, alpha: alphaShape)
            var x = (0..<inputShape.reduce(1, *)).map { _ in Float.random(in: -8...8, using: &generator) }
            x[0] = .nan
            x[1] = -0.0
            x[2] = -.infinity
            let alpha = (0..<alphaShape.reduce(1, *)).map { _ in Float.random(in: -2...2, using: &generator) }
            let expected = (0..<x.count).map { i in
                let value = x[i], a = alpha[SquaredDifferenceTests.index(i, shape: alphaShape, output: inputShape)]
                return value >= 0 ? value : value * a
            }
            for threads in 1...3 {
                let y = try Interpreter.firstOutput(of: data, inputs: [Data(x.withUnsafeBytes { $0 }), Data(alpha.withUnsafeBytes { $0 })],
                                                    threads: threads, as: Float.self)
                let mismatches = zip(y, expected).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(y.count == expected.count && mismatches == 0, "\(inputShape) \(alphaShape), \(threads) threads: \(mismatches) differ")
            }
        }
    }
}
