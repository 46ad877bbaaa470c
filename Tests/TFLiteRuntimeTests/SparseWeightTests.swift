import Foundation
import Testing
import TestSupport
import TFLiteMetadata
import TFLiteModel
@testable import TFLiteRuntime

/// Mostly-zero constant float weights run as sparse products (``SparseFloatConv``) and give the
/// dense GEMM's numbers: a pointwise CONV_2D with ReLU6 and a FULLY_CONNECTED over many rows,
/// each with 25 % nonzero weights, at every kernel variant the CPU has and at 1, 2 and 3 threads.
@Suite("Sparse weights")
struct SparseWeightTests {
    static let convInput = [1, 10, 12, 40], convChannels = 48
    static let rows = 70, depth = 40, units = 24

    /// Weights with `density` nonzero, input channel 0 all zero.
    static func sparseWeights(_ count: Int, depth: Int, density: Double, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { i in i % depth != 0 && next() < density ? Float(next() * 2 - 1) : 0 }
    }

    static func bytes(_ values: [Float]) -> String {
        values.withUnsafeBytes { $0.map(String.init).joined(separator: ",") }
    }

    /// CONV_2D 1×1 (40 → 48 channels, bias, ReLU6) on input 0 and FULLY_CONNECTED (40 → 24, bias)
    /// on input 1, both with sparse constant weights.
    static func model() throws -> Data {
        let filter = sparseWeights(convChannels * depth, depth: depth, density: 0.25, seed: 1)
        let weights = sparseWeights(units * depth, depth: depth, density: 0.25, seed: 2)
        let convBias = (0..<convChannels).map { Float($0 % 7) * 0.1 - 0.3 }
        let fcBias = (0..<units).map { Float($0 % 5) * 0.2 - 0.4 }
        let json = """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D" },
                             { "deprecated_builtin_code": 9, "builtin_code": "FULLY_CONNECTED" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, 10, 12, 40], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [48, 1, 1, 40], "type": "FLOAT32", "buffer": 1, "name": "filter" },
              { "shape": [48], "type": "FLOAT32", "buffer": 2, "name": "conv_bias" },
              { "shape": [1, 10, 12, 48], "type": "FLOAT32", "buffer": 0, "name": "y" },
              { "shape": [70, 40], "type": "FLOAT32", "buffer": 0, "name": "rows" },
              { "shape": [24, 40], "type": "FLOAT32", "buffer": 3, "name": "weights" },
              { "shape": [24], "type": "FLOAT32", "buffer": 4, "name": "fc_bias" },
              { "shape": [70, 24], "type": "FLOAT32", "buffer": 0, "name": "units" }
            ],
            "inputs": [0, 4], "outputs": [3, 7],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2], "outputs": [3],
                            "builtin_options_type": "Conv2DOptions",
                            "builtin_options": { "padding": "VALID", "stride_w": 1, "stride_h": 1, "fused_activation_function": "RELU6" } },
                          { "opcode_index": 1, "inputs": [4, 5, 6], "outputs": [7],
                            "builtin_options_type": "FullyConnectedOptions", "builtin_options": {} }]
          }],
          "buffers": [{}, { "data": [\(bytes(filter))] }, { "data": [\(bytes(convBias))] },
                      { "data": [\(bytes(weights))] }, { "data": [\(bytes(fcBias))] }]
        }
        """
        return Data(try FlatBufferSchema.model.binary(fromJSON: json))
    }

    /// Both outputs' bits for inputs `x` and `rows`.
    static func run(_ model: Data, sparse: Bool, threads: Int, x: [Float], rows: [Float]) throws -> [[UInt32]] {
        var options = Interpreter.Options(threadCount: threads)
        options.sparseWeights = sparse
        let interpreter = try Interpreter(modelData: model, options: options)
        try interpreter.allocateTensors()
        _ = try interpreter.copy(x.withUnsafeBytes { Data($0) }, toInputAt: 0)
        _ = try interpreter.copy(rows.withUnsafeBytes { Data($0) }, toInputAt: 1)
        try interpreter.invoke()
        return try (0..<2).map { index in try interpreter.withOutput(at: index) { $0.bindMemory(to: Float.self).map(\.bitPattern) } }
    }

    static func inputs() -> ([Float], [Float]) {
        let x = (0..<(10 * 12 * depth)).map { Float(($0 * 7919) % 1000) / 125 - 4 }
        let rows = (0..<(rows * depth)).map { Float(($0 * 104_729) % 997) / 100 - 5 }
        return (x, rows)
    }

    @Test("the sparse route gives the dense route's bits", arguments: KernelVariant.allCases.filter(\.isSupported))
    func sparseMatchesDense(_ variant: KernelVariant) throws {
        let model = try Self.model()
        let (x, rows) = Self.inputs()
        try variant.run {
            let dense = try Self.run(model, sparse: false, threads: 1, x: x, rows: rows)
            for threads in 1...3 {
                let sparse = try Self.run(model, sparse: true, threads: threads, x: x, rows: rows)
                #expect(sparse[0] == dense[0], "CONV_2D, \(threads) threads, \(variant)")
                #expect(sparse[1] == dense[1], "FULLY_CONNECTED, \(threads) threads, \(variant)")
            }
        }
    }

    /// FULLY_CONNECTED on one row (300 → 70, bias, ReLU) with 8 % nonzero weights, or with 20 %
    /// of its 1 × 4 blocks nonzero, as the one-row sparse product (``SparseFloatGEMV``).
    static func rowModel(blocks: Bool) throws -> Data {
        var weights = sparseWeights(70 * 300, depth: 300, density: 0.08, seed: 3)
        if blocks {
            let kept = sparseWeights(70 * 75, depth: 75, density: 0.2, seed: 4)
            weights = (0..<(70 * 300)).map { i in kept[i / 4] != 0 ? Float(i % 13) * 0.1 - 0.6 : 0 }
        }
        let bias = (0..<70).map { Float($0 % 5) * 0.2 - 0.4 }
        let json = """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 9, "builtin_code": "FULLY_CONNECTED" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, 300], "type": "FLOAT32", "buffer": 0, "name": "row" },
              { "shape": [70, 300], "type": "FLOAT32", "buffer": 1, "name": "weights" },
              { "shape": [70], "type": "FLOAT32", "buffer": 2, "name": "bias" },
              { "shape": [1, 70], "type": "FLOAT32", "buffer": 0, "name": "units" }
            ],
            "inputs": [0], "outputs": [3],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2], "outputs": [3], "builtin_options_type": "FullyConnectedOptions",
                            "builtin_options": { "fused_activation_function": "RELU" } }]
          }],
          "buffers": [{}, { "data": [\(bytes(weights))] }, { "data": [\(bytes(bias))] }]
        }
        """
        return Data(try FlatBufferSchema.model.binary(fromJSON: json))
    }

    @Test("one row takes the one-row sparse product with the dense route's bits",
          arguments: KernelVariant.allCases.filter(\.isSupported), [false, true])
    func oneRowMatchesDense(_ variant: KernelVariant, blocks: Bool) throws {
        let model = try Self.rowModel(blocks: blocks)
        let row = (0..<300).map { Float(($0 * 7919) % 1000) / 125 - 4 }
        func run(sparse: Bool, threads: Int) throws -> ([UInt32], [Bool]) {
            var options = Interpreter.Options(threadCount: threads)
            options.sparseWeights = sparse
            let interpreter = try Interpreter(modelData: model, options: options)
            try interpreter.allocateTensors()
            _ = try interpreter.copy(row.withUnsafeBytes { Data($0) }, toInputAt: 0)
            try interpreter.invoke()
            let output = try interpreter.withOutput(at: 0) { $0.bindMemory(to: Float.self).map(\.bitPattern) }
            let fullyConnected = interpreter.kernels.compactMap { $0 as? FullyConnectedKernel }
            if sparse, blocks { #expect(fullyConnected.map(\.runsOfFour) == [true], "1 × 4 blocks: runs of 4") }
            return (output, fullyConnected.map(\.runsSparse))
        }
        try variant.run {
            let (dense, denseRoute) = try run(sparse: false, threads: 1)
            #expect(denseRoute == [false])
            #expect(Set(dense).count > 10, "varied outputs")
            for threads in 1...3 {
                let (sparse, route) = try run(sparse: true, threads: threads)
                #expect(route == [true], "\(threads) threads, \(variant): the sparse route")
                #expect(sparse == dense, "\(threads) threads, \(variant)")
            }
        }
    }

    /// The one place the routes part: an infinite input met only by zero weights (input
    /// channel 0 here) makes NaN on the dense route (∞ · 0) and is skipped on the sparse one.
    /// This also shows each route is the one taken.
    @Test func infinityMetOnlyByZeroWeightsIsSkipped() throws {
        let model = try Self.model()
        var (x, rows) = Self.inputs()
        x[0] = .infinity
        rows[0] = .infinity
        let dense = try Self.run(model, sparse: false, threads: 1, x: x, rows: rows)
        let sparse = try Self.run(model, sparse: true, threads: 1, x: x, rows: rows)
        for (output, channels) in [(0, Self.convChannels), (1, Self.units)] {
            #expect(dense[output][0..<channels].allSatisfy { Float(bitPattern: $0).isNaN }, "output \(output), dense")
            #expect(sparse[output][0..<channels].allSatisfy { Float(bitPattern: $0).isFinite }, "output \(output), sparse")
            #expect(sparse[output][channels...] == dense[output][channels...], "output \(output), the other pixels")
        }
    }

    /// FULLY_CONNECTED weights stored sparse by the converter (`EXPERIMENTAL_SPARSITY`,
    /// scripts/make_sparse_fixtures.py): float32 1×4 and int8 1×16 blocks on the weight tensor
    /// itself (refused before: "holds 536 values, 2048 needed"), int8 1×4 through DENSIFY, and
    /// one-row int8 and dynamic-range 1×16 models, which run on the block-sparse int8 product
    /// (``SparseDotProduct``) where the CPU has the dot-product GEMM. Within 1e-6 relative of
    /// LiteRT's sparse kernels: float ones sum each 1×4 block apart; int8 ones agree on every
    /// int8 value (one step would be about 1e-2) and differ only in the last bit of the final
    /// float DEQUANTIZE, which LiteRT's optimized kernel computes in float.
    @Test(arguments: ["float_1x4", "int8_1x16", "int8_1x4", "int8_1x16_row", "dynamic_1x16_row"])
    func convertedSparseFullyConnectedMatchesLiteRT(_ name: String) throws {
        let directory = Fixtures.url("sparse/\(name)")
        let interpreter = try Interpreter(modelPath: directory.appending(path: "model.tflite").path)
        try interpreter.allocateTensors()
        let input = try NumPyArray(contentsOf: directory.appending(path: "input_0.npy").path)
        _ = try interpreter.copy(input.data, toInputAt: 0)
        try interpreter.invoke()
        let expected = try NumPyArray(contentsOf: directory.appending(path: "output_0.npy").path)
        let output = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Float.self)) }
        let reference = expected.data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(output.count == (name.hasSuffix("_row") ? 80 : 4 * 32) && reference.count == output.count)
        if name.hasSuffix("_row") {
            let routes = interpreter.kernels.compactMap { ($0 as? FullyConnectedKernel)?.runsSparse }
            #expect(routes == [DotProductConv.isAvailable], "\(name): the block-sparse route")
        }
        for (got, want) in zip(output, reference) {
            #expect(abs(got - want) <= 1e-6 * max(1, abs(want)), "\(name): \(got) vs \(want)")
        }
    }
}
