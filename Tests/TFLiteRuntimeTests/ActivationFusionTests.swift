import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// A float32 activation operator after a float32 or hybrid CONV_2D runs inside the convolution
/// (`ActivationFusion`) when only it reads the convolution's output and that output is not a
/// subgraph output: the same bits as the two operators in turn, at every kernel level and on 1, 2
/// and 3 threads; the activation no longer runs. A convolution output read elsewhere, or a
/// subgraph output, keeps its own values and the activation runs.
struct ActivationFusionTests {
    /// How the convolution's output `y` is used besides by the activation.
    enum Use: String, CaseIterable, Sendable {
        /// Only the activation reads it: fused.
        case activationOnly
        /// It is also a subgraph output: not fused (the reference for the others).
        case subgraphOutput
        /// An ADD of it and the activation's output reads it too: not fused.
        case readElsewhere
    }

    static let side = 6, depth = 24

    static func bytes<T>(_ values: [T]) -> String { values.withUnsafeBytes { Array($0) }.description }

    /// `x` (input) → ADD(x, x) = `a` → CONV_2D 3×3 SAME (float32 or int8 weights) = `y` →
    /// activation = `z`; outputs `z` (and `y`), or for `.readElsewhere` ADD(y, z). `a` dies at
    /// the convolution, so the arena may give its memory to a tensor born after it.
    static func model(hybrid: Bool, activation: (code: Int, name: String, options: String), use: Use,
                      weights: [Float], bias: [Float]) throws -> Data {
        let n = side, d = depth
        let filter: String
        let filterData: String
        if hybrid {
            let scales = (0..<d).map { c in (weights[(c * 9 * d)..<((c + 1) * 9 * d)].map(abs).max() ?? 1) / 127 }
            let quantized = weights.enumerated().map { Int8(($0.element / scales[$0.offset / (9 * d)]).rounded()) }
            filter = """
            "type": "INT8", "quantization": { "scale": \(scales), "zero_point": \([Int](repeating: 0, count: d)), "quantized_dimension": 0 }
            """
            filterData = bytes(quantized)
        } else {
            filter = "\"type\": \"FLOAT32\""
            filterData = bytes(weights)
        }
        let outputs = switch use {
        case .activationOnly: "[4]"
        case .subgraphOutput: "[4, 3]"
        case .readElsewhere: "[5]"
        }
        let sum = use == .readElsewhere ? """
        , { "opcode_index": 0, "inputs": [3, 4], "outputs": [5], "builtin_options_type": "AddOptions", "builtin_options": {} }
        """ : ""
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 0, "builtin_code": "ADD" },
                             { "deprecated_builtin_code": 3, "builtin_code": "CONV_2D", "version": 2 },
                             { "deprecated_builtin_code": \(activation.code), "builtin_code": "\(activation.name)" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, \(n), \(n), \(d)], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [1, \(n), \(n), \(d)], "type": "FLOAT32", "buffer": 0, "name": "a" },
              { "shape": [\(d), 3, 3, \(d)], \(filter), "buffer": 1, "name": "w" },
              { "shape": [1, \(n), \(n), \(d)], "type": "FLOAT32", "buffer": 0, "name": "y" },
              { "shape": [1, \(n), \(n), \(d)], "type": "FLOAT32", "buffer": 0, "name": "z" },
              { "shape": [1, \(n), \(n), \(d)], "type": "FLOAT32", "buffer": 0, "name": "s" },
              { "shape": [\(d)], "type": "FLOAT32", "buffer": 2, "name": "b" }
            ],
            "inputs": [0], "outputs": \(outputs),
            "operators": [
              { "opcode_index": 0, "inputs": [0, 0], "outputs": [1], "builtin_options_type": "AddOptions", "builtin_options": {} },
              { "opcode_index": 1, "inputs": [1, 2, 6], "outputs": [3], "builtin_options_type": "Conv2DOptions",
                "builtin_options": { "padding": "SAME", "stride_w": 1, "stride_h": 1 } },
              { "opcode_index": 2, "inputs": [3], "outputs": [4]\(activation.options) }\(sum)
            ]
          }],
          "buffers": [{}, { "data": \(filterData) }, { "data": \(bytes(bias)) }]
        }
        """))
    }

    static let activations: [(code: Int, name: String, options: String)] = [
        (98, "LEAKY_RELU", #", "builtin_options_type": "LeakyReluOptions", "builtin_options": { "alpha": 0.1 }"#),
        (19, "RELU", ""), (21, "RELU6", ""), (117, "HARD_SWISH", ""), (14, "LOGISTIC", ""),
    ]

    /// Every output of the model, as bit patterns, and whether the activation was fused.
    static func run(_ data: Data, input: [Float], threads: Int) throws -> (outputs: [[UInt32]], fused: Bool) {
        let interpreter = try Interpreter(modelData: data, options: Interpreter.Options(threadCount: threads))
        try interpreter.allocateTensors()
        _ = try interpreter.copy(input.withUnsafeBytes { Data($0) }, toInputAt: 0)
        try interpreter.invoke()
        let outputs = try (0..<interpreter.outputTensorCount).map { index in
            try interpreter.withOutput(at: index) { $0.bindMemory(to: Float.self).map(\.bitPattern) }
        }
        return (outputs, interpreter.composedAway[2])
    }

    @Test(arguments: [false, true], activations.indices)
    func fusedRunsGiveTheUnfusedBits(_ hybrid: Bool, _ which: Int) throws {
        let activation = Self.activations[which]
        var generator = SystemRandomNumberGenerator()
        let count = Self.side * Self.side * Self.depth
        let x = (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
        let weights = (0..<(Self.depth * 9 * Self.depth)).map { _ in Float.random(in: -0.2...0.2, using: &generator) }
        let bias = (0..<Self.depth).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
        let label = "\(hybrid ? "hybrid" : "float32") \(activation.name)"
        for variant in KernelVariant.allCases where variant.isSupported {
            try variant.run { () throws in
                // The reference: y is a subgraph output, so nothing fuses.
                let reference = try Self.run(try Self.model(hybrid: hybrid, activation: activation, use: .subgraphOutput,
                                                            weights: weights, bias: bias), input: x, threads: 1)
                #expect(!reference.fused, "\(label), \(variant): a subgraph output must not fuse")
                let (z, y) = (reference.outputs[0], reference.outputs[1])
                let sum = zip(y, z).map { (Float(bitPattern: $0) + Float(bitPattern: $1)).bitPattern }
                // The convolution's own output is the activation's input, not its result.
                #expect(y != z, "\(label), \(variant)")
                // LOGISTIC never fuses (its bits depend on where runs are cut: FloatActivation).
                let fuses = (!hybrid || DotProductConv.isAvailable) && activation.name != "LOGISTIC"
                for threads in 1...3 {
                    let fused = try Self.run(try Self.model(hybrid: hybrid, activation: activation, use: .activationOnly,
                                                            weights: weights, bias: bias), input: x, threads: threads)
                    #expect(fused.fused == fuses, "\(label), \(variant), \(threads) threads")
                    #expect(fused.outputs == [z], "\(label), \(variant), \(threads) threads: fused output differs")
                    let elsewhere = try Self.run(try Self.model(hybrid: hybrid, activation: activation, use: .readElsewhere,
                                                                weights: weights, bias: bias), input: x, threads: threads)
                    #expect(!elsewhere.fused, "\(label), \(variant): an output read elsewhere must not fuse")
                    #expect(elsewhere.outputs == [sum], "\(label), \(variant), \(threads) threads: y + z differs")
                }
            }
        }
    }

    /// `invoke(observer:)` runs the fused pair as two operators: it sees the convolution's own
    /// output, then the activation's, which equals the fused run's.
    @Test func observationSeesBothOperators() throws {
        let activation = Self.activations[0]
        let count = Self.side * Self.side * Self.depth
        let x = (0..<count).map { Float($0 % 17) / 8 - 1 }
        let weights = (0..<(Self.depth * 9 * Self.depth)).map { Float($0 % 13) / 32 - 0.2 }
        let bias = (0..<Self.depth).map { Float($0) / 24 - 0.5 }
        let data = try Self.model(hybrid: false, activation: activation, use: .activationOnly, weights: weights, bias: bias)
        let reference = try Self.run(try Self.model(hybrid: false, activation: activation, use: .subgraphOutput,
                                                    weights: weights, bias: bias), input: x, threads: 1)
        let interpreter = try Interpreter(modelData: data)
        try interpreter.allocateTensors()
        #expect(interpreter.composedAway == [false, false, true])
        _ = try interpreter.copy(x.withUnsafeBytes { Data($0) }, toInputAt: 0)
        var seen: [Int: [UInt32]] = [:]
        try interpreter.invoke { observed in seen[observed.index] = observed.floats.map { $0.map(\.bitPattern) } }
        #expect(seen[3] == reference.outputs[1], "the convolution's own output")
        #expect(seen[4] == reference.outputs[0], "the activation's output")
        // The arena may have reused the input's memory: copied again.
        _ = try interpreter.copy(x.withUnsafeBytes { Data($0) }, toInputAt: 0)
        try interpreter.invoke()
        let z = try interpreter.withOutput(at: 0) { $0.bindMemory(to: Float.self).map(\.bitPattern) }
        #expect(z == reference.outputs[0])
    }
}
