import Foundation
import CTFLiteKernels
import Testing
import TestSupport
import TFLiteMetadata
@testable import TFLiteRuntime

/// int8 weights zero in runs of 16 input channels run as block-sparse products
/// (``SparseDotProduct``) and give the dense GEMM's outputs byte for byte: an int8
/// FULLY_CONNECTED and a hybrid one (float input, asymmetric and symmetric input quantization),
/// per-channel weights, 280 input channels (a short last block), one row and 40 rows (tiles of
/// 16 split over threads, where the CPU multiplies several rows at once), at every kernel
/// variant the CPU has and at 1, 2 and 3 threads. Two rows stay on the dense GEMM.
@Suite("Sparse int8 weights")
struct SparseInt8WeightTests {
    static let depth = 280, units = 80

    static func bytes<T>(_ values: [T]) -> String { values.withUnsafeBytes { Array($0) }.description }

    /// Weights with about a fifth of their 16-channel blocks nonzero (unit 0 has none).
    static func weights(seed: UInt64) -> [Int8] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var w = [Int8](repeating: 0, count: units * depth)
        for j in 1..<units {
            for start in stride(from: 0, to: depth, by: 16) where next() % 5 == 0 {
                for k in start..<min(start + 16, depth) { w[j * depth + k] = Int8(truncatingIfNeeded: Int(next() % 255) - 127) }
            }
        }
        return w
    }

    /// FULLY_CONNECTED int8 (input 0 → output 0, ReLU) and hybrid (input 1 → output 1) over `rows`
    /// rows, both with block-sparse per-channel int8 weights and a bias.
    static func model(rows: Int, asymmetric: Bool) throws -> Data {
        let scales = (0..<units).map { Float(0.002 + Double($0 % 9) * 0.0007) }
        let zeros = [Int](repeating: 0, count: units)
        let intBias = (0..<units).map { Int32($0 * 37 % 2001) - 1000 }
        let floatBias = (0..<units).map { Float($0 % 11) * 0.05 - 0.25 }
        let biasScales = scales.map { $0 * 0.05 }
        let json = """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 9, "builtin_code": "FULLY_CONNECTED", "version": 5 }],
          "subgraphs": [{
            "tensors": [
              { "shape": [\(rows), \(depth)], "type": "INT8", "buffer": 0, "name": "x",
                "quantization": { "scale": [0.05], "zero_point": [-3] } },
              { "shape": [\(units), \(depth)], "type": "INT8", "buffer": 1, "name": "w",
                "quantization": { "scale": \(scales), "zero_point": \(zeros), "quantized_dimension": 0 } },
              { "shape": [\(units)], "type": "INT32", "buffer": 2, "name": "bias",
                "quantization": { "scale": \(biasScales), "zero_point": \(zeros), "quantized_dimension": 0 } },
              { "shape": [\(rows), \(units)], "type": "INT8", "buffer": 0, "name": "y",
                "quantization": { "scale": [0.08], "zero_point": [-128] } },
              { "shape": [\(rows), \(depth)], "type": "FLOAT32", "buffer": 0, "name": "xf" },
              { "shape": [\(units), \(depth)], "type": "INT8", "buffer": 3, "name": "wh",
                "quantization": { "scale": \(scales), "zero_point": \(zeros), "quantized_dimension": 0 } },
              { "shape": [\(units)], "type": "FLOAT32", "buffer": 4, "name": "bias_f" },
              { "shape": [\(rows), \(units)], "type": "FLOAT32", "buffer": 0, "name": "yf" }
            ],
            "inputs": [0, 4], "outputs": [3, 7],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2], "outputs": [3], "builtin_options_type": "FullyConnectedOptions",
                            "builtin_options": { "fused_activation_function": "RELU" } },
                          { "opcode_index": 0, "inputs": [4, 5, 6], "outputs": [7], "builtin_options_type": "FullyConnectedOptions",
                            "builtin_options": { "asymmetric_quantize_inputs": \(asymmetric) } }]
          }],
          "buffers": [{}, { "data": \(bytes(weights(seed: 1))) }, { "data": \(bytes(intBias)) },
                      { "data": \(bytes(weights(seed: 2))) }, { "data": \(bytes(floatBias)) }]
        }
        """
        return Data(try FlatBufferSchema.model.binary(fromJSON: json))
    }

    /// Both outputs' bytes, and whether each FULLY_CONNECTED ran sparse.
    static func run(_ model: Data, rows: Int, sparse: Bool, threads: Int) throws -> (outputs: [[UInt8]], sparse: [Bool]) {
        var options = Interpreter.Options(threadCount: threads)
        options.sparseWeights = sparse
        let interpreter = try Interpreter(modelData: model, options: options)
        try interpreter.allocateTensors()
        let x = (0..<(rows * depth)).map { Int8(truncatingIfNeeded: $0 * 7919 % 256) }
        let xf = (0..<(rows * depth)).map { Float(($0 * 104_729) % 997) / 250 - 1.5 }
        _ = try interpreter.copy(Data(x.withUnsafeBytes { $0 }), toInputAt: 0)
        _ = try interpreter.copy(Data(xf.withUnsafeBytes { $0 }), toInputAt: 1)
        try interpreter.invoke()
        let outputs = try (0..<2).map { i in try interpreter.withOutput(at: i) { Array($0) } }
        let routes = interpreter.kernels.compactMap { ($0 as? FullyConnectedKernel)?.runsSparse }
        return (outputs, routes)
    }

    @Test("the sparse route gives the dense route's bytes", arguments: [(1, false), (1, true), (40, true)])
    func sparseMatchesDense(rows: Int, asymmetric: Bool) throws {
        let model = try Self.model(rows: rows, asymmetric: asymmetric)
        for variant in KernelVariant.allCases where variant.isSupported {
            try variant.run { () throws in
                let dense = try Self.run(model, rows: rows, sparse: false, threads: 1)
                #expect(dense.sparse == [false, false], "\(variant): the dense route")
                for threads in 1...3 {
                    let sparse = try Self.run(model, rows: rows, sparse: true, threads: threads)
                    // Without an 8-bit dot-product GEMM (portable C) both routes take ConvRunner's
                    // loops; several rows run sparse only where they go a tile at a time.
                    let expected = DotProductConv.isAvailable && (rows == 1 || tfl_sparse_s8_multirow(Self.depth) != 0)
                    #expect(sparse.sparse == [expected, expected], "\(variant), \(threads) threads: the sparse route")
                    #expect(sparse.outputs[0] == dense.outputs[0], "int8, \(threads) threads, \(variant)")
                    #expect(sparse.outputs[1] == dense.outputs[1], "hybrid, \(threads) threads, \(variant)")
                }
                // The ReLU output is not all at its floor (the check would be empty).
                #expect(Set(dense.outputs[0]).count > 8, "\(variant): varied int8 outputs")
            }
        }
    }

    @Test func twoRowsStayDense() throws {
        let model = try Self.model(rows: 2, asymmetric: true)
        let run = try Self.run(model, rows: 2, sparse: true, threads: 1)
        #expect(run.sparse == [false, false])
    }
}
