import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime
import TFLiteMetadata

/// A float32 activation operator after a float32 ADD, SUB or MUL runs inside it
/// (`ActivationFusion`, `ElementwiseBinaryKernel+ActivationFusion.swift`) when only it reads the
/// operation's output: the same bits as the two operators in turn, on every float path (same
/// shapes split over the pool, a per-channel input tiled into runs, the serial walk of a
/// broadcast), at every kernel level and on 1, 2 and 3 threads. Not fused: a general broadcast
/// split by rows, DIV, an operation whose output the model also returns, and LOGISTIC (its
/// vector kernel's tails round apart from its body, so runs cut elsewhere would change bits).
struct ElementwiseActivationFusionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var operation: (code: Int, name: String, options: String)
        var a: [Int]
        var b: [Int]
        var fuses: Bool
        var testDescription: String { "\(operation.name) \(a) \(b)" }
    }

    static let add = (0, "ADD", #""builtin_options_type": "AddOptions", "builtin_options": {}"#)
    static let sub = (41, "SUB", #""builtin_options_type": "SubOptions", "builtin_options": {}"#)
    static let mul = (18, "MUL", #""builtin_options_type": "MulOptions", "builtin_options": {}"#)
    static let div = (42, "DIV", #""builtin_options_type": "DivOptions", "builtin_options": {}"#)

    static let cases: [Case] = [
        Case(operation: add, a: [1, 32, 32, 28], b: [1, 32, 32, 28], fuses: true),  // same shapes, split
        Case(operation: add, a: [1, 4, 4, 28], b: [1, 4, 4, 28], fuses: true),  // same shapes, serial
        Case(operation: mul, a: [1, 24, 24, 40], b: [40], fuses: true),  // per-channel, periodic runs
        Case(operation: sub, a: [1, 8, 8, 5], b: [1], fuses: true),  // scalar, serial
        Case(operation: add, a: [1, 40, 1, 24], b: [1, 1, 40, 24], fuses: false),  // general broadcast, split by rows
        Case(operation: div, a: [1, 8, 8, 16], b: [1, 8, 8, 16], fuses: false),
    ]

    static let activations: [(code: Int, name: String, options: String)] = [
        (19, "RELU", ""), (21, "RELU6", ""),
        (98, "LEAKY_RELU", #", "builtin_options_type": "LeakyReluOptions", "builtin_options": { "alpha": 0.2 }"#),
        (117, "HARD_SWISH", ""), (14, "LOGISTIC", ""),
    ]

    /// `a`, `b` (inputs) → operation = `s` → activation = `z`; outputs `z`, and `s` too when
    /// `sIsOutput`.
    static func model(_ c: Case, activation: (code: Int, name: String, options: String), sIsOutput: Bool) throws -> Data {
        let output = zip(c.a.count >= c.b.count ? c.a : c.b, c.a.count >= c.b.count ? c.b : c.a).map { max($0, $1) }
        let shape = c.a.count == c.b.count ? zip(c.a, c.b).map { max($0, $1) } : output
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": \(c.operation.code), "builtin_code": "\(c.operation.name)" },
                             { "deprecated_builtin_code": \(activation.code), "builtin_code": "\(activation.name)" }],
          "subgraphs": [{
            "tensors": [
              { "shape": \(c.a), "type": "FLOAT32", "buffer": 0, "name": "a" },
              { "shape": \(c.b), "type": "FLOAT32", "buffer": 0, "name": "b" },
              { "shape": \(shape), "type": "FLOAT32", "buffer": 0, "name": "s" },
              { "shape": \(shape), "type": "FLOAT32", "buffer": 0, "name": "z" }
            ],
            "inputs": [0, 1], "outputs": \(sIsOutput ? "[3, 2]" : "[3]"),
            "operators": [
              { "opcode_index": 0, "inputs": [0, 1], "outputs": [2], \(c.operation.options) },
              { "opcode_index": 1, "inputs": [2], "outputs": [3]\(activation.options) }
            ]
          }],
          "buffers": [{}]
        }
        """))
    }

    static func run(_ data: Data, _ a: [Float], _ b: [Float], threads: Int) throws -> (z: [UInt32], fused: Bool) {
        let interpreter = try Interpreter(modelData: data, options: Interpreter.Options(threadCount: threads))
        try interpreter.allocateTensors()
        _ = try interpreter.copy(a.withUnsafeBytes { Data($0) }, toInputAt: 0)
        _ = try interpreter.copy(b.withUnsafeBytes { Data($0) }, toInputAt: 1)
        try interpreter.invoke()
        let z = try interpreter.withOutput(at: 0) { $0.bindMemory(to: Float.self).map(\.bitPattern) }
        return (z, interpreter.composedAway[1])
    }

    @Test(arguments: cases)
    func fusedRunsGiveTheUnfusedBits(_ c: Case) throws {
        var generator = SystemRandomNumberGenerator()
        var a = (0..<c.a.reduce(1, *)).map { _ in Float.random(in: -5...5, using: &generator) }
        let b = (0..<c.b.reduce(1, *)).map { _ in Float.random(in: -5...5, using: &generator) }
        // Edges the activations treat apart: zeros of both signs, infinities, NaN.
        for (i, v) in [Float(0), -0, .infinity, -.infinity, .nan, 3, -3, 6].enumerated() where i < a.count { a[i] = v }
        for activation in Self.activations {
            let label = "\(c.testDescription) \(activation.name)"
            let fuses = c.fuses && activation.name != "LOGISTIC"
            for variant in KernelVariant.allCases where variant.isSupported {
                for threads in 1...3 {
                    var fused: (z: [UInt32], fused: Bool) = ([], false)
                    var reference: (z: [UInt32], fused: Bool) = ([], false)
                    try variant.run { () throws in
                        reference = try Self.run(try Self.model(c, activation: activation, sIsOutput: true), a, b, threads: threads)
                        fused = try Self.run(try Self.model(c, activation: activation, sIsOutput: false), a, b, threads: threads)
                    }
                    #expect(!reference.fused, "\(label): an output of the model must not fuse")
                    #expect(fused.fused == fuses, "\(label), \(variant), \(threads) threads")
                    #expect(!fused.z.isEmpty && fused.z == reference.z, "\(label), \(variant), \(threads) threads")
                }
            }
        }
    }
}
