import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// Hybrid CONV_2Ds reading the same float tensor (an Inception module's branches) quantize it
/// once per run and share the bytes, scales and zero points (``HybridInputShare``): each output
/// must be bit-identical with the same convolution alone in a model, at every kernel level and
/// on 1, 2 and 3 threads, and a second run on other values must not reuse the first run's
/// quantization.
struct HybridInputShareTests {
    /// One convolution: its kernel size, output channels and SAME padding.
    struct Branch {
        var kernel: Int
        var channels: Int
        var weights: [Int8]
        var scales: [Float]
        var bias: [Float]
    }

    static let batches = 2, side = 5, depth = 24

    static func bytes<T>(_ values: [T]) -> String { values.withUnsafeBytes { Array($0) }.description }

    /// A model of `branches`, each a hybrid CONV_2D reading input 0; output i is branch i's.
    static func model(_ branches: [Branch]) throws -> Data {
        var tensors = [#"{ "shape": [\#(batches), \#(side), \#(side), \#(depth)], "type": "FLOAT32", "buffer": 0, "name": "x" }"#]
        var operators: [String] = [], buffers = ["{}"], outputs: [Int] = []
        for (i, b) in branches.enumerated() {
            let w = tensors.count
            tensors.append("""
            { "shape": [\(b.channels), \(b.kernel), \(b.kernel), \(depth)], "type": "INT8", "buffer": \(buffers.count), "name": "w\(i)",
              "quantization": { "scale": \(b.scales), "zero_point": \([Int](repeating: 0, count: b.scales.count)), "quantized_dimension": 0 } }
            """)
            buffers.append(#"{ "data": \#(bytes(b.weights)) }"#)
            tensors.append(#"{ "shape": [\#(b.channels)], "type": "FLOAT32", "buffer": \#(buffers.count), "name": "b\#(i)" }"#)
            buffers.append(#"{ "data": \#(bytes(b.bias)) }"#)
            tensors.append(#"{ "shape": [\#(batches), \#(side), \#(side), \#(b.channels)], "type": "FLOAT32", "buffer": 0, "name": "y\#(i)" }"#)
            outputs.append(w + 2)
            operators.append("""
            { "opcode_index": 0, "inputs": [0, \(w), \(w + 1)], "outputs": [\(w + 2)], "builtin_options_type": "Conv2DOptions",
              "builtin_options": { "padding": "SAME", "stride_w": 1, "stride_h": 1 } }
            """)
        }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D", "version": 2 }],
          "subgraphs": [{ "tensors": [\(tensors.joined(separator: ","))], "inputs": [0], "outputs": \(outputs),
                          "operators": [\(operators.joined(separator: ","))] }],
          "buffers": [\(buffers.joined(separator: ","))]
        }
        """))
    }

    /// Every output of `model` after one run per input in `inputs`, on one interpreter.
    static func outputs(_ model: Data, inputs: [[Float]], threads: Int, count: Int) throws -> [[[UInt32]]] {
        let interpreter = try Interpreter(modelData: model, options: Interpreter.Options(threadCount: threads))
        try interpreter.allocateTensors()
        var runs: [[[UInt32]]] = []
        for x in inputs {
            _ = try interpreter.copy(Data(x.withUnsafeBytes { $0 }), toInputAt: 0)
            try interpreter.invoke()
            runs.append(try (0..<count).map { i in
                try interpreter.withOutput(at: i) { Array($0.bindMemory(to: Float.self)).map(\.bitPattern) }
            })
        }
        return runs
    }

    @Test func sharedQuantizationMatchesEachConvolutionAlone() throws {
        var generator = SystemRandomNumberGenerator()
        func branch(kernel: Int, channels: Int, perChannel: Bool) -> Branch {
            Branch(kernel: kernel, channels: channels,
                   weights: (0..<(channels * kernel * kernel * Self.depth)).map { _ in Int8.random(in: -127...127, using: &generator) },
                   scales: (0..<(perChannel ? channels : 1)).map { _ in Float.random(in: 0.001...0.02, using: &generator) },
                   bias: (0..<channels).map { _ in Float.random(in: -1...1, using: &generator) })
        }
        let branches = [branch(kernel: 1, channels: 16, perChannel: true), branch(kernel: 3, channels: 8, perChannel: false),
                        branch(kernel: 1, channels: 40, perChannel: true)]
        let count = Self.batches * Self.side * Self.side * Self.depth
        // Batches of different ranges (different scales and zero points), then other values.
        let inputs = (0..<2).map { run in
            (0..<count).map { i in Float.random(in: i < count / 2 ? -0.5...2 : -3...(1 + Float(run)), using: &generator) }
        }
        let shared = try Self.model(branches)
        for variant in KernelVariant.allCases where variant.isSupported {
            for threads in 1...3 {
                var together: [[[UInt32]]] = [], alone: [[[[UInt32]]]] = []
                try variant.run { () throws in
                    together = try Self.outputs(shared, inputs: inputs, threads: threads, count: branches.count)
                    alone = try branches.map { try Self.outputs(Self.model([$0]), inputs: inputs, threads: threads, count: 1) }
                }
                for run in inputs.indices {
                    for i in branches.indices {
                        let same = together[run][i] == alone[i][run][0]
                        #expect(same, "\(variant), \(threads) threads, run \(run), branch \(i)")
                    }
                }
                let differ = together[0][0] != together[1][0]
                #expect(differ, "the two runs' outputs differ")
            }
        }
    }
}
