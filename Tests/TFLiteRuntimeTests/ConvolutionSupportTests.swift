import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// Focused tests of the convolution family's building blocks (padding, weight repacking,
/// hybrid input quantization, L2 inverse square root) and of thread-count independence.
@Suite struct ConvolutionSupportTests {
    @Test func samePaddingMatchesLiteRT() {
        // (input, filter, stride, dilation) → (output, leading padding)
        let cases: [(Int, Int, Int, Int, Int, Int)] = [
            (7, 3, 2, 1, 4, 1), (6, 2, 2, 1, 3, 0), (4, 3, 2, 1, 2, 0), (5, 3, 1, 2, 5, 2), (1, 5, 1, 1, 1, 2), (8, 1, 3, 1, 3, 0),
        ]
        for (input, filter, stride, dilation, output, padding) in cases {
            let axis = ConvAxis(padding: .same, inputSize: input, filterSize: filter, stride: stride, dilation: dilation)
            #expect(axis == ConvAxis(outputSize: output, padding: padding), "SAME \(input) \(filter) \(stride) \(dilation)")
        }
    }

    @Test func validPaddingMatchesLiteRT() {
        let cases: [(Int, Int, Int, Int, Int)] = [(7, 3, 2, 1, 3), (7, 3, 1, 2, 3), (9, 1, 2, 1, 5), (2, 3, 1, 1, 0)]
        for (input, filter, stride, dilation, output) in cases {
            let axis = ConvAxis(padding: .valid, inputSize: input, filterSize: filter, stride: stride, dilation: dilation)
            #expect(axis == ConvAxis(outputSize: output, padding: 0), "VALID \(input) \(filter) \(stride) \(dilation)")
        }
    }

    @Test func packingMovesOutputChannelsInnermost() {
        // [outer 2][taps 3][inner 4] with value o*100 + t*10 + i.
        var source: [Float] = []
        for o in 0..<2 { for t in 0..<3 { for i in 0..<4 { source.append(Float(o * 100 + t * 10 + i)) } } }
        var packed = [Float](repeating: -1, count: source.count)
        source.withUnsafeBufferPointer { s in
            packed.withUnsafeMutableBufferPointer { p in
                WeightPacking.packFloat(s.baseAddress!, outer: 2, taps: 3, inner: 4, into: p.baseAddress!)
            }
        }
        for t in 0..<3 { for i in 0..<4 { for o in 0..<2 {
            #expect(packed[(t * 4 + i) * 2 + o] == Float(o * 100 + t * 10 + i))
        } } }
    }

    @Test func integerPackingRemovesTheWeightZeroPoint() {
        let source: [UInt8] = [0, 255, 128, 7]
        var packed = [Int16](repeating: 0, count: 4)
        source.withUnsafeBufferPointer { s in
            packed.withUnsafeMutableBufferPointer { p in
                WeightPacking.packInteger(s.baseAddress!, outer: 2, taps: 1, inner: 2, offset: -128, into: p.baseAddress!)
            }
        }
        // [o][i] → [i][o]
        #expect(packed == [-128, 0, 127, -121])
    }

    @Test func symmetricHybridQuantization() {
        let values: [Float] = [-1, 0.5, 2]
        var quantized = [Int8](repeating: 0, count: 3)
        let scale = values.withUnsafeBufferPointer { v in
            quantized.withUnsafeMutableBufferPointer { q in HybridQuantizer.symmetric(v.baseAddress!, count: 3, into: q.baseAddress!) }
        }
        #expect(scale == Float(2) / 127)
        #expect(quantized == [-64, 32, 127])
    }

    @Test func asymmetricHybridQuantization() {
        let values: [Float] = [-1, 0.5, 2]
        var quantized = [Int8](repeating: 0, count: 3)
        let (scale, zeroPoint) = values.withUnsafeBufferPointer { v in
            quantized.withUnsafeMutableBufferPointer { q in HybridQuantizer.asymmetric(v.baseAddress!, count: 3, into: q.baseAddress!) }
        }
        #expect(abs(scale - 3.0 / 255.0) < 1e-7)
        #expect(zeroPoint == -43)
        #expect(quantized == [-128, 0, 127])  // 0.5 × 85 = 42.5 rounds away to 43, then −43 (LiteRT's order)
        // All zeros: scale 1, zero point 0.
        let zeros: [Float] = [0, 0]
        var q2: [Int8] = [5, 5]
        let (s2, z2) = zeros.withUnsafeBufferPointer { v in
            q2.withUnsafeMutableBufferPointer { q in HybridQuantizer.asymmetric(v.baseAddress!, count: 2, into: q.baseAddress!) }
        }
        #expect(s2 == 1 && z2 == 0 && q2 == [0, 0])
    }

    /// LiteRT (its NEON quantizer, which its x86 builds run) takes the range's width in float32:
    /// 0.3 − (−0.1) is 0.40000000596 there, 0.40000001341 in double, and the scales differ in
    /// the last bit (ALBERT's embedding rows quantized a step apart from LiteRT's).
    @Test func asymmetricHybridScaleTakesTheWidthInFloat() {
        let values: [Float] = [-0.1, 0.3, 0.05, 0.2]
        var quantized = [Int8](repeating: 0, count: 4)
        let (scale, _) = values.withUnsafeBufferPointer { v in
            quantized.withUnsafeMutableBufferPointer { q in HybridQuantizer.asymmetric(v.baseAddress!, count: 4, into: q.baseAddress!) }
        }
        let width = Float(0.3) - Float(-0.1)
        #expect(scale == Float(Double(width) / 255))
        #expect(scale != Float((Double(Float(0.3)) - Double(Float(-0.1))) / 255))
    }

    @Test func inverseSquareRootIsAccurate() {
        for value: Int32 in [2, 3, 17, 255, 1000, 65025, 1 << 20, 123_456_789, Int32.max / 2] {
            let m = Gemmlowp.inverseSqrtMultiplier(value)
            let real = Double(m.multiplier) / Double(1 << 31) * pow(2, Double(m.shift))
            let expected = 1 / Double(value).squareRoot()
            #expect(abs(real - expected) / expected < 1e-4, "1/√\(value): \(real) vs \(expected)")
        }
        #expect(Gemmlowp.inverseSqrtMultiplier(1) == FixedPoint.Multiplier(multiplier: Int32.max, shift: 0))
    }

    /// Output pixels (or, for one row, output channels) are split over threads; the results must
    /// not depend on the thread count.
    @Test(arguments: ["conv_2d_k3_s1_same_int8", "conv_2d_k3_s1_same_float32", "depthwise_conv_2d_m2_s1_same_int16",
                      "transpose_conv_k3_s2_same_int8", "conv_2d_per_channel_batch3_s2_valid_relu6_hybrid", "batch_matmul_bcast_adj_xy_int8",
                      "fully_connected_keep_num_dims_big_hybrid", "model_cnn_int8", "depthwise_conv_2d_k5_m1_s1_same_relu_int8",
                      "depthwise_conv_2d_m1_s2_same_float32", "conv_2d_k3_s2_same_float32", "model_cnn_hybrid",
                      "fully_connected_big_batch1_int8", "fully_connected_big_batch1_uint8",
                      "fully_connected_big_batch1_relu6_float32", "conv_2d_k3_s1_same_int16", "conv_2d_k1_s1_valid_int16",
                      "fully_connected_bias_relu_int16", "depthwise_conv_2d_m1_s1_same_int16", "model_cnn_int16"])
    func resultsDoNotDependOnThreads(_ name: String) throws {
        let directory = Fixtures.url("conformance/\(name)")
        try #require(FileManager.default.fileExists(atPath: directory.appending(path: "model.tflite").path),
                     "fixture \(name) is missing")
        var outputs: [Data] = []
        for threads in [1, 2, 3] {
            let interpreter = try Interpreter(modelPath: directory.appending(path: "model.tflite").path,
                                              options: Interpreter.Options(threadCount: threads))
            outputs.append(try interpreter.firstOutput(feeding: directory))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }
}
