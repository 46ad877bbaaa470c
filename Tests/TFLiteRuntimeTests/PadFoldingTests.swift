import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime
import TFLiteMetadata

/// PadFolding: a float32 PAD before a VALID CONV_2D or DEPTHWISE_CONV_2D runs inside the
/// convolution. Each case runs the model twice, once as is (folded) and once with the padded
/// tensor also a model output (which keeps the PAD), and compares the convolution's output
/// bit for bit, at every kernel level and on 1, 2 and 3 threads.
struct PadFoldingTests {
    /// One PAD → convolution case.
    struct Case: CustomTestStringConvertible, Sendable {
        var depthwise: Bool
        var input: [Int]  // [1, h, w, c]
        var pads: (top: Int, bottom: Int, left: Int, right: Int)
        var filter: (height: Int, width: Int)
        var outputChannels: Int
        var stride = 1
        var dilation = 1
        var channelPad = 0
        var padding = "VALID"
        var testDescription: String {
            "\(depthwise ? "depthwise" : "conv") \(input) pads \(pads) filter \(filter) stride \(stride) dilation \(dilation)"
                + (channelPad > 0 ? " channel pad \(channelPad)" : "") + (padding == "VALID" ? "" : " \(padding)")
        }
    }

    /// `input → PAD → conv → output`, with the padded tensor (2) also an output when `padOutput`.
    static func model(_ c: Case, padOutput: Bool, weights: [Float], bias: [Float]) throws -> Data {
        let padded = [1, c.input[1] + c.pads.top + c.pads.bottom, c.input[2] + c.pads.left + c.pads.right, c.input[3] + c.channelPad]
        let paddings = [0, 0, c.pads.top, c.pads.bottom, c.pads.left, c.pads.right, 0, c.channelPad].map { Int32($0) }
        let filterShape = c.depthwise ? [1, c.filter.height, c.filter.width, c.outputChannels]
                                      : [c.outputChannels, c.filter.height, c.filter.width, padded[3]]
        let bytes = { (values: [Float]) in values.withUnsafeBytes { Array($0) } }
        let convCode = c.depthwise ? #"{ "deprecated_builtin_code": 4, "builtin_code": "DEPTHWISE_CONV_2D", "version": 1 }"#
                                   : #"{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D", "version": 1 }"#
        let common = #""padding": "\#(c.padding)", "stride_w": \#(c.stride), "stride_h": \#(c.stride), "dilation_w_factor": \#(c.dilation), "dilation_h_factor": \#(c.dilation)"#
        let options = c.depthwise ? #""builtin_options_type": "DepthwiseConv2DOptions", "builtin_options": { \#(common), "depth_multiplier": \#(c.outputChannels / padded[3]) }"#
                                  : #""builtin_options_type": "Conv2DOptions", "builtin_options": { \#(common) }"#
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 34, "builtin_code": "PAD", "version": 1 }, \(convCode)],
          "subgraphs": [{
            "tensors": [
              { "shape": \(c.input), "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [4, 2], "type": "INT32", "buffer": 1, "name": "paddings" },
              { "shape": \(padded), "type": "FLOAT32", "buffer": 0, "name": "padded" },
              { "shape": \(filterShape), "type": "FLOAT32", "buffer": 2, "name": "filter" },
              { "shape": [\(c.outputChannels)], "type": "FLOAT32", "buffer": 3, "name": "bias" },
              { "shape": [1, 1, 1, \(c.outputChannels)], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": \(padOutput ? "[5, 2]" : "[5]"),
            "operators": [
              { "opcode_index": 0, "inputs": [0, 1], "outputs": [2] },
              { "opcode_index": 1, "inputs": [2, 3, 4], "outputs": [5], \(options) }
            ]
          }],
          "buffers": [{}, { "data": \(paddings.withUnsafeBytes { Array($0) }) }, { "data": \(bytes(weights)) }, { "data": \(bytes(bias)) }]
        }
        """))
    }

    static let folding: [Case] = [
        Case(depthwise: true, input: [1, 9, 10, 16], pads: (1, 1, 1, 1), filter: (3, 3), outputChannels: 16, stride: 2),
        Case(depthwise: true, input: [1, 12, 12, 24], pads: (2, 2, 2, 2), filter: (5, 5), outputChannels: 24),
        Case(depthwise: true, input: [1, 11, 8, 8], pads: (2, 0, 1, 3), filter: (3, 3), outputChannels: 16, dilation: 2),
        Case(depthwise: true, input: [1, 16, 16, 5], pads: (1, 1, 1, 1), filter: (3, 3), outputChannels: 5),
        Case(depthwise: false, input: [1, 14, 15, 3], pads: (1, 1, 1, 1), filter: (3, 3), outputChannels: 8, stride: 2),
        Case(depthwise: false, input: [1, 20, 20, 3], pads: (3, 3, 3, 3), filter: (7, 7), outputChannels: 8, stride: 2),
        Case(depthwise: false, input: [1, 9, 7, 5], pads: (0, 2, 1, 0), filter: (3, 3), outputChannels: 7),
        Case(depthwise: false, input: [1, 8, 8, 32], pads: (1, 1, 1, 1), filter: (3, 3), outputChannels: 40),
    ]

    static let kept: [Case] = [
        Case(depthwise: true, input: [1, 8, 8, 8], pads: (1, 1, 1, 1), filter: (3, 3), outputChannels: 16, channelPad: 8),
        Case(depthwise: true, input: [1, 8, 8, 8], pads: (3, 0, 0, 0), filter: (3, 3), outputChannels: 8),
        Case(depthwise: false, input: [1, 8, 8, 4], pads: (1, 1, 1, 1), filter: (3, 3), outputChannels: 4, padding: "SAME"),
    ]

    static func runs(_ c: Case, padOutput: Bool, x: [Float], weights: [Float], bias: [Float],
                             threads: Int) throws -> (y: [Float], padded: [Float], composed: [Bool]) {
        let interpreter = try Interpreter(modelData: try model(c, padOutput: padOutput, weights: weights, bias: bias),
                                          options: Interpreter.Options(threadCount: threads))
        try interpreter.allocateTensors()
        _ = try interpreter.copy(Data(x.withUnsafeBytes { $0 }), toInputAt: 0)
        try interpreter.invoke()
        let y = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Float.self)) }
        var padded: [Float] = []
        try interpreter.invoke { observed in
            if observed.index == 2, let values = observed.floats { padded = Array(values) }
        }
        let observedY = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Float.self)) }
        #expect(observedY.map(\.bitPattern) == y.map(\.bitPattern), "\(c.testDescription): invoke(observer:) computes the same")
        return (y, padded, interpreter.composedAway)
    }

    static func inputs(_ c: Case) -> (x: [Float], weights: [Float], bias: [Float]) {
        var generator = SystemRandomNumberGenerator()
        let depth = c.input[3] + c.channelPad
        let weightCount = c.depthwise ? c.filter.height * c.filter.width * c.outputChannels
                                      : c.outputChannels * c.filter.height * c.filter.width * depth
        let x = (0..<c.input.reduce(1, *)).map { _ in Float.random(in: -2...2, using: &generator) }
        let weights = (0..<weightCount).map { _ in Float.random(in: -1...1, using: &generator) }
        let bias = (0..<c.outputChannels).map { _ in Float.random(in: -1...1, using: &generator) }
        return (x, weights, bias)
    }

    @Test(arguments: folding)
    func foldedConvolutionComputesWhatPadThenConvolutionDoes(_ c: Case) throws {
        let (x, weights, bias) = Self.inputs(c)
        for variant in KernelVariant.allCases where variant.isSupported {
            for threads in 1...3 {
                var folded: (y: [Float], padded: [Float], composed: [Bool]) = ([], [], [])
                var kept: (y: [Float], padded: [Float], composed: [Bool]) = ([], [], [])
                try variant.run { () throws in
                    folded = try Self.runs(c, padOutput: false, x: x, weights: weights, bias: bias, threads: threads)
                    kept = try Self.runs(c, padOutput: true, x: x, weights: weights, bias: bias, threads: threads)
                }
                #expect(folded.composed == [true, false], "\(c.testDescription): PAD folded")
                #expect(kept.composed == [false, false], "\(c.testDescription): a PAD the model outputs runs")
                #expect(!folded.y.isEmpty && folded.y.map(\.bitPattern) == kept.y.map(\.bitPattern),
                        "\(c.testDescription), \(variant), \(threads) threads")
                // Observation still runs the folded PAD, so its output is seen as the model has it.
                #expect(!folded.padded.isEmpty && folded.padded.map(\.bitPattern) == kept.padded.map(\.bitPattern))
            }
        }
    }

    @Test(arguments: kept)
    func padsTheConvolutionCannotTakeStay(_ c: Case) throws {
        let (x, weights, bias) = Self.inputs(c)
        let run = try Self.runs(c, padOutput: false, x: x, weights: weights, bias: bias, threads: 1)
        #expect(run.composed == [false, false], "\(c.testDescription)")
        #expect(!run.y.isEmpty)
    }
}
