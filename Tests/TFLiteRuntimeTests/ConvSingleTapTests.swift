import Foundation
import Testing
import TestSupport
import TFLiteMetadata
@testable import TFLiteRuntime

/// Convolutions whose outputs all read one filter tap inside the input (``ConvSingleTap``) run
/// as that tap's 1 × 1 convolution, with the full convolution's outputs: here a 3 × 3 SAME and
/// a 1 × 3 SAME convolution over a 1 × 1 map (int8, hybrid, float32) give the bytes of the same
/// model with a 1 × 1 filter holding the tap's weights (a plain pointwise convolution), at 1 and 3
/// threads. A float filter with an infinite weight in a dropped tap keeps the full convolution.
@Suite("Single-tap convolutions")
struct ConvSingleTapTests {
    @Test func theTapIsFoundOnlyWhereEveryOutputReadsItAlone() {
        func geometry(_ size: (Int, Int), filter: (Int, Int), stride: Int = 1, padding: (Int, Int), output: (Int, Int)) -> ConvGeometry {
            var g = ConvGeometry()
            g.batches = 1
            (g.inputHeight, g.inputWidth) = size
            g.inputDepth = 8
            g.outputDepth = 4
            (g.filterHeight, g.filterWidth) = filter
            g.strideHeight = stride
            g.strideWidth = stride
            (g.paddingHeight, g.paddingWidth) = padding
            (g.outputHeight, g.outputWidth) = output
            return g
        }
        #expect(ConvSingleTap.find(geometry((1, 1), filter: (3, 3), padding: (1, 1), output: (1, 1)))
            == ConvSingleTap(ky: 1, kx: 1, filterHeight: 3, filterWidth: 3))
        #expect(ConvSingleTap.find(geometry((1, 1), filter: (1, 3), padding: (0, 1), output: (1, 1)))
            == ConvSingleTap(ky: 0, kx: 1, filterHeight: 1, filterWidth: 3))
        #expect(ConvSingleTap.find(geometry((1, 1), filter: (3, 3), stride: 2, padding: (1, 1), output: (1, 1)))
            == ConvSingleTap(ky: 1, kx: 1, filterHeight: 3, filterWidth: 3))
        // Two taps read inside the input, or the tap does not map pixel to pixel.
        #expect(ConvSingleTap.find(geometry((2, 2), filter: (3, 3), padding: (1, 1), output: (2, 2))) == nil)
        #expect(ConvSingleTap.find(geometry((3, 3), filter: (3, 3), padding: (0, 0), output: (1, 1))) == nil)
        #expect(ConvSingleTap.find(geometry((1, 1), filter: (1, 1), padding: (0, 0), output: (1, 1))) == nil)
    }

    static let depth = 24, units = 20

    static func bytes<T>(_ values: [T]) -> String { values.withUnsafeBytes { Array($0) }.description }

    /// One CONV_2D (ReLU) over a 1 × 1 × depth map: `type` INT8 (int8 in and out), HYBRID (float
    /// in and out, int8 weights) or FLOAT32, with a `taps.0` × `taps.1` SAME filter whose centre
    /// tap holds `centre` and the other taps `others`.
    static func model(_ type: String, taps: (Int, Int), centre: [Int], others: Int, infinite: Bool = false) throws -> Data {
        let count = taps.0 * taps.1
        let centreTap = (taps.0 / 2) * taps.1 + taps.1 / 2
        var ints = [Int](repeating: 0, count: units * count * depth)
        for u in 0..<units {
            for t in 0..<count {
                for d in 0..<depth {
                    ints[(u * count + t) * depth + d] = t == centreTap ? centre[u * depth + d] : (u * 31 + t * 7 + d * 3 + others) % 255 - 127
                }
            }
        }
        let floats = ints.map { Float($0) / 64 }
        let scales = (0..<units).map { Float(0.002 + Double($0 % 5) * 0.001) }
        let zeros = [Int](repeating: 0, count: units)
        let filterTensor: String
        let filterData: String
        if type == "FLOAT32" {
            var values = floats
            if infinite { values[1] = .infinity }  // unit 0, a tap off the centre (tap 0 unless 1 × 1)
            filterTensor = "\"type\": \"FLOAT32\""
            filterData = bytes(values)
        } else {
            filterTensor = "\"type\": \"INT8\", \"quantization\": { \"scale\": \(scales), \"zero_point\": \(zeros), \"quantized_dimension\": 0 }"
            filterData = bytes(ints.map { Int8($0) })
        }
        let io = type == "INT8" ? "\"type\": \"INT8\", \"quantization\": { \"scale\": [0.05], \"zero_point\": [-3] }" : "\"type\": \"FLOAT32\""
        let out = type == "INT8" ? "\"type\": \"INT8\", \"quantization\": { \"scale\": [0.3], \"zero_point\": [-128] }" : "\"type\": \"FLOAT32\""
        let bias = type == "INT8"
            ? "{ \"shape\": [\(units)], \"type\": \"INT32\", \"buffer\": 2, \"name\": \"b\", \"quantization\": { \"scale\": \(scales.map { $0 * 0.05 }), \"zero_point\": \(zeros), \"quantized_dimension\": 0 } }"
            : "{ \"shape\": [\(units)], \"type\": \"FLOAT32\", \"buffer\": 2, \"name\": \"b\" }"
        let biasData = type == "INT8" ? bytes((0..<units).map { Int32($0 * 53 % 801) - 400 }) : bytes((0..<units).map { Float($0 % 7) * 0.1 - 0.3 })
        let json = """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D", "version": 3 }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, 1, 1, \(depth)], "buffer": 0, "name": "x", \(io) },
              { "shape": [\(units), \(taps.0), \(taps.1), \(depth)], "buffer": 1, "name": "w", \(filterTensor) },
              \(bias),
              { "shape": [1, 1, 1, \(units)], "buffer": 0, "name": "y", \(out) }
            ],
            "inputs": [0], "outputs": [3],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, 2], "outputs": [3], "builtin_options_type": "Conv2DOptions",
                            "builtin_options": { "padding": "SAME", "stride_w": 1, "stride_h": 1, "fused_activation_function": "RELU" } }]
          }],
          "buffers": [{}, { "data": \(filterData) }, { "data": \(biasData) }]
        }
        """
        return Data(try FlatBufferSchema.model.binary(fromJSON: json))
    }

    /// The output's bytes and whether the convolution ran one tap.
    static func run(_ model: Data, type: String, threads: Int) throws -> (output: [UInt8], singleTap: Bool) {
        let interpreter = try Interpreter(modelData: model, options: Interpreter.Options(threadCount: threads))
        try interpreter.allocateTensors()
        let input = type == "INT8" ? Data((0..<depth).map { UInt8(truncatingIfNeeded: $0 * 37 - 100) })
                                   : Data((0..<depth).map { Float($0 % 9) * 0.25 - 1 }.withUnsafeBytes { Array($0) })
        _ = try interpreter.copy(input, toInputAt: 0)
        try interpreter.invoke()
        let output = try interpreter.withOutput(at: 0) { Array($0) }
        let routes = interpreter.kernels.compactMap { ($0 as? Conv2DKernel)?.runsSingleTap }
        return (output, routes == [true])
    }

    @Test(arguments: ["INT8", "HYBRID", "FLOAT32"])
    func oneTapGivesTheFullConvolutionsOutputs(_ type: String) throws {
        let centre = (0..<(Self.units * Self.depth)).map { ($0 * 17 + 5) % 255 - 127 }
        let pointwise = try Self.model(type, taps: (1, 1), centre: centre, others: 0)
        for threads in [1, 3] {
            let expected = try Self.run(pointwise, type: type, threads: threads)
            #expect(!expected.singleTap)
            for taps in [(3, 3), (1, 3)] {
                let actual = try Self.run(try Self.model(type, taps: taps, centre: centre, others: 11), type: type, threads: threads)
                #expect(actual.singleTap, "\(type) \(taps): one tap")
                #expect(actual.output == expected.output, "\(type) \(taps), \(threads) threads")
            }
        }
        if type == "FLOAT32" {
            let infinite = try Self.run(try Self.model(type, taps: (3, 3), centre: centre, others: 11, infinite: true), type: type, threads: 1)
            #expect(!infinite.singleTap, "an infinite dropped weight keeps every tap")
        }
    }
}
