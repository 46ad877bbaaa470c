import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// 8-bit SQUARED_DIFFERENCE runs as table lookups of the rescaled inputs and the C
/// requantization (`tfl_requantize_8bit_uniform`); float32 with a repeating input as contiguous
/// runs. The conformance cases `squared_difference_*` compare small shapes with LiteRT; here,
/// outputs large enough to split over threads and into several blocks, in every broadcast
/// layout, at every kernel level and on 1, 2 and 3 threads, against LiteRT's integer steps
/// written out per element.
struct SquaredDifferenceTests {
    struct Quantization {
        var scale: Float
        var zeroPoint: Int32
    }

    /// `SQUARED_DIFFERENCE(a, b)` of int8 (or float32 when `quantization` is nil) tensors.
    static func model(a: [Int], b: [Int], output: [Int], quantization: [Quantization]?) throws -> Data {
        let type = quantization == nil ? "FLOAT32" : "INT8"
        func tensor(_ shape: [Int], _ name: String, _ index: Int) -> String {
            let q = quantization.map { ", \"quantization\": { \"scale\": [\($0[index].scale)], \"zero_point\": [\($0[index].zeroPoint)] }" } ?? ""
            return "{ \"shape\": \(shape), \"type\": \"\(type)\", \"buffer\": 0, \"name\": \"\(name)\"\(q) }"
        }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 99, "builtin_code": "SQUARED_DIFFERENCE" }],
          "subgraphs": [{
            "tensors": [\(tensor(a, "a", 0)), \(tensor(b, "b", 1)), \(tensor(output, "y", 2))],
            "inputs": [0, 1], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2] }]
          }],
          "buffers": [{}]
        }
        """))
    }

    /// LiteRT's int8 SQUARED_DIFFERENCE of one pair: both inputs shifted left by 7 and rescaled
    /// to twice the larger input scale, the difference squared, rescaled to the output.
    static func reference(_ x: Int8, _ y: Int8, _ q: [Quantization]) -> Int8 {
        let twiceMax = 2 * Double(max(q[0].scale, q[1].scale))
        let ma = FixedPoint.Multiplier(Double(q[0].scale) / twiceMax), mb = FixedPoint.Multiplier(Double(q[1].scale) / twiceMax)
        let mo = FixedPoint.Multiplier(twiceMax * twiceMax / (Double(1 << 14) * Double(q[2].scale)))
        let a = FixedPoint.multiply((Int32(x) - q[0].zeroPoint) << 7, by: ma)
        let b = FixedPoint.multiply((Int32(y) - q[1].zeroPoint) << 7, by: mb)
        let v = FixedPoint.multiply((a - b) &* (a - b), by: mo) + q[2].zeroPoint
        return Int8(min(127, max(-128, v)))
    }

    /// Broadcast index of `shape` (padded to the output's rank) for the output's flat index.
    static func index(_ flat: Int, shape: [Int], output: [Int]) -> Int {
        let padded = [Int](repeating: 1, count: output.count - shape.count) + shape
        var rest = flat, index = 0, stride = 1
        for axis in (0..<output.count).reversed() {
            let coordinate = rest % output[axis]
            rest /= output[axis]
            if padded[axis] != 1 { index += coordinate * stride }
            stride *= padded[axis]
        }
        return index
    }

    /// Same shapes, a per-channel mean either side (periodic), a per-pixel mean (general), a
    /// scalar, and both inputs broadcasting.
    static let layouts: [([Int], [Int], [Int])] = [
        ([1, 24, 20, 40], [1, 24, 20, 40], [1, 24, 20, 40]),
        ([1, 24, 20, 40], [1, 1, 1, 40], [1, 24, 20, 40]),
        ([1, 1, 1, 24], [1, 30, 20, 24], [1, 30, 20, 24]),
        ([1, 24, 20, 40], [1, 24, 20, 1], [1, 24, 20, 40]),
        ([1, 24, 20, 40], [1], [1, 24, 20, 40]),
        ([2, 1, 30, 1], [1, 70, 1, 9], [2, 70, 30, 9]),
    ]

    @Test(arguments: [
        [Quantization(scale: 0.05, zeroPoint: 3), Quantization(scale: 0.02, zeroPoint: -20), Quantization(scale: 0.03, zeroPoint: -128)],
        [Quantization(scale: 0.011, zeroPoint: -128), Quantization(scale: 0.011, zeroPoint: 127), Quantization(scale: 2.5, zeroPoint: -128)],
        [Quantization(scale: 0.3, zeroPoint: 0), Quantization(scale: 0.7, zeroPoint: 5), Quantization(scale: 0.0004, zeroPoint: -100)],
    ])
    func int8MatchesLiteRTSteps(_ q: [Quantization]) throws {
        var generator = SystemRandomNumberGenerator()
        for (shapeA, shapeB, output) in Self.layouts {
            let data = try Self.model(a: shapeA, b: shapeB, output: output, quantization: q)
            let a = (0..<shapeA.reduce(1, *)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
            let b = (0..<shapeB.reduce(1, *)).map { _ in Int8.random(in: .min ... .max, using: &generator) }
            let count = output.reduce(1, *)
            let expected = (0..<count).map { i in
                Self.reference(a[Self.index(i, shape: shapeA, output: output)], b[Self.index(i, shape: shapeB, output: output)], q)
            }
            for variant in KernelVariant.allCases where variant.isSupported {
                for threads in 1...3 {
                    var y: [Int8] = []
                    try variant.run { () throws in
                        y = try Interpreter.firstOutput(of: data, inputs: [Data(a.withUnsafeBytes { $0 }), Data(b.withUnsafeBytes { $0 })],
                                                        threads: threads, as: Int8.self)
                    }
                    let mismatches = zip(y, expected).filter { $0 != $1 }.count
                    #expect(y.count == count && mismatches == 0, "\(shapeA) \(shapeB), \(variant), \(threads) threads: \(mismatches) differ")
                }
            }
        }
    }

    @Test func float32MatchesPlainLoop() throws {
        var generator = SystemRandomNumberGenerator()
        for (shapeA, shapeB, output) in Self.layouts {
            let data = try Self.model(a: shapeA, b: shapeB, output: output, quantization: nil)
            let a = (0..<shapeA.reduce(1, *)).map { _ in Float.random(in: -8...8, using: &generator) }
            let b = (0..<shapeB.reduce(1, *)).map { _ in Float.random(in: -8...8, using: &generator) }
            let count = output.reduce(1, *)
            let expected = (0..<count).map { i in
                let d = a[Self.index(i, shape: shapeA, output: output)] - b[Self.index(i, shape: shapeB, output: output)]
                return d * d
            }
            for threads in 1...3 {
                let y = try Interpreter.firstOutput(of: data, inputs: [Data(a.withUnsafeBytes { $0 }), Data(b.withUnsafeBytes { $0 })],
                                                    threads: threads, as: Float.self)
                #expect(y == expected, "\(shapeA) \(shapeB), \(threads) threads")
            }
        }
    }
}
