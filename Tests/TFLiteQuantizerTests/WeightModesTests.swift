import Foundation
import Testing
import TestSupport
import TFLiteMetadata
import TFLiteModel
import TFLiteQuantizer
import TFLiteRuntime

/// float16, dynamic and weight-int8 against the TensorFlow converter's own models of the same
/// networks (`scripts/quant_fixtures/make_fixtures.py`): structure, weights, versions, sizes;
/// and our interpreter's outputs on the quantized models against the float model's.
@Suite struct WeightModesTests {
    static let networks = ["convnet", "mlp", "embed"]

    static func quantize(_ network: String, _ mode: QuantizationMode, options: QuantizationOptions = QuantizationOptions(),
                         in directory: URL) throws -> (Model, QuantizationSummary) {
        let output = directory.appending(path: "\(network).\(mode.rawValue).tflite").path
        let summary = try Quantizer.quantize(Fixtures.url("quant/\(network).float.tflite").path, mode: mode, options: options, to: output)
        return (try Model(contentsOf: output), summary)
    }

    /// Constant tensors by (type, shape, per-channel scale count, quantized dimension).
    static func constants(_ model: Model) -> [String] {
        model.subgraphs[0].tensors.filter { (model.buffers[Int($0.buffer)].range?.count ?? 0) > 0 }.map { tensor in
            let q = tensor.quantization.map { " q\($0.scale.count)@\($0.quantizedDimension)" } ?? ""
            return "\(tensor.type) \(tensor.shape)\(q)"
        }.sorted()
    }

    static func operators(_ model: Model) -> [String] {
        model.subgraphs[0].operators.compactMap { model.operatorCode(of: $0).map { "\($0.name) v\($0.version)" } }.sorted()
    }

    /// Our float16 and dynamic models have the converter's structure: the same constants in
    /// the same formats, the same operators at the same versions, the same
    /// `min_runtime_version`, a size within 2 %.
    @Test(arguments: networks, [QuantizationMode.float16, .dynamic])
    func matchesTheConverter(_ network: String, _ mode: QuantizationMode) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (ours, summary) = try Self.quantize(network, mode, in: directory)
        let theirs = try Model(contentsOf: Fixtures.url("quant/\(network).\(mode.rawValue).tflite").path)
        #expect(Self.constants(ours) == Self.constants(theirs))
        #expect(Self.operators(ours) == Self.operators(theirs))
        #expect(ours.minRuntimeVersion() == theirs.minRuntimeVersion())
        let ratio = Double(summary.outputBytes) / Double(theirs.storage.count)
        #expect(abs(ratio - 1) < 0.02, "\(summary.outputBytes) bytes against the converter's \(theirs.storage.count)")
        #expect(ours.subgraphs[0].inputs.count == theirs.subgraphs[0].inputs.count)
        #expect(ours.signatureDefs.map(\.key) == theirs.signatureDefs.map(\.key))
        if mode == .float16 {
            #expect(ours.metadataEntry(named: "reduced_precision_support") != nil)
        }
    }

    /// Dynamic range: int8 weights and scales equal the converter's, `asymmetric_quantize_inputs`
    /// set where it sets it.
    @Test(arguments: networks)
    func dynamicWeightsEqualTheConverters(_ network: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (ours, _) = try Self.quantize(network, .dynamic, in: directory)
        let theirs = try Model(contentsOf: Fixtures.url("quant/\(network).dynamic.tflite").path)
        func int8Weights(_ model: Model) throws -> [[Int32]: ([UInt8], [Float])] {
            var result: [[Int32]: ([UInt8], [Float])] = [:]
            for tensor in model.subgraphs[0].tensors where tensor.type == .int8 {
                result[tensor.shape] = (Array(try model.data(ofBuffer: Int(tensor.buffer))), tensor.quantization?.scale ?? [])
            }
            return result
        }
        let a = try int8Weights(ours), b = try int8Weights(theirs)
        #expect(a.keys.sorted { $0.lexicographicallyPrecedes($1) } == b.keys.sorted { $0.lexicographicallyPrecedes($1) })
        for (shape, (values, scales)) in a {
            guard let (otherValues, otherScales) = b[shape] else { continue }
            let differing = zip(values, otherValues).filter { $0 != $1 }.count
            #expect(differing == 0, "\(shape): \(differing) int8 values differ")
            let worst = zip(scales, otherScales).map { abs($0 - $1) / max($1, .leastNormalMagnitude) }.max() ?? 0
            #expect(worst < 1e-6, "\(shape): scales differ by \(worst)")
        }
        func asymmetric(_ model: Model) throws -> [Bool] {
            try model.subgraphs[0].operators.filter { model.operatorCode(of: $0)?.builtinCode == .fullyConnected }
                .map { try FullyConnectedOptions($0.builtinOptions).asymmetricQuantizeInputs }
        }
        #expect(try asymmetric(ours) == asymmetric(theirs))
    }

    /// Our interpreter's outputs on each quantized model stay close to the float model's.
    @Test(arguments: networks, [QuantizationMode.float16, .dynamic, .weightInt8])
    func outputsStayCloseToFloat(_ network: String, _ mode: QuantizationMode) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (quantized, _) = try Self.quantize(network, mode, in: directory)
        let float = try Model(contentsOf: Fixtures.url("quant/\(network).float.tflite").path)
        let reference = try Self.run(float), result = try Self.run(quantized)
        #expect(reference.count == result.count && !reference.isEmpty)
        let signal = reference.map { $0 * $0 }.reduce(0, +)
        let noise = zip(reference, result).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        let sqnr = 10 * log10(signal / max(noise, 1e-30))
        #expect(sqnr > (mode == .float16 ? 50 : 25), "SQNR \(sqnr) dB")
    }

    /// The first output for a fixed pseudo-random input.
    static func run(_ model: Model) throws -> [Float] {
        let interpreter = try Interpreter(model: model)
        try interpreter.allocateTensors()
        _ = try interpreter.copy(try input(for: interpreter, seed: 7), toInputAt: 0)
        try interpreter.invoke()
        let output = try interpreter.output(at: 0)
        return output.data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Pseudo-random input 0: floats in [-1, 1), or ids in [0, 300) for an int32 input.
    static func input(for interpreter: Interpreter, seed: UInt64) throws -> Data {
        let tensor = try interpreter.input(at: 0)
        var rng = SplitMix64(seed: seed)
        let count = tensor.data.count / 4
        if tensor.type == .int32 {
            return (0..<count).map { _ in Int32(rng.next() % 300) }.withUnsafeBytes { Data($0) }
        }
        return (0..<count).map { _ in Float(rng.next() % 2000) / 1000 - 1 }.withUnsafeBytes { Data($0) }
    }

    /// Dynamic range quantizes an embedding table that `GATHER` reads: int8 values, an int8
    /// result with the table's scale, a `DEQUANTIZE` after it (as the converter does).
    @Test func gatherTablesBecomeInt8() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (model, summary) = try Self.quantize("embed", .dynamic, in: directory)
        #expect(summary.quantized.count == 1, "\(summary.quantized)")
        let subgraph = model.subgraphs[0]
        let gather = try #require(subgraph.operators.firstIndex { model.operatorCode(of: $0)?.builtinCode == .gather })
        let table = subgraph.tensors[Int(subgraph.operators[gather].inputs[0])]
        let result = subgraph.tensors[Int(subgraph.operators[gather].outputs[0])]
        #expect(table.type == .int8 && result.type == .int8)
        #expect(result.quantization?.scale == table.quantization?.scale)
        let next = subgraph.operators[gather + 1]
        #expect(model.operatorCode(of: next)?.builtinCode == .dequantize)
        #expect(next.inputs == subgraph.operators[gather].outputs)
        #expect(model.operatorCode(of: subgraph.operators[gather])?.version == 2)
    }

    /// `--min-elements` and `--keep-float` leave weights float and say why.
    @Test func minElementsAndKeepFloat() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (all, summary) = try Self.quantize("convnet", .dynamic, options: QuantizationOptions(minElements: 0), in: directory)
        #expect(summary.quantized.count == 6, "\(summary.quantized)")
        #expect(all.subgraphs[0].tensors.filter { $0.type == .int8 }.count == 6)
        let (_, kept) = try Self.quantize("convnet", .dynamic, options: QuantizationOptions(keepFloat: ["FULLY_CONNECTED", "*conv_b*"]), in: directory)
        #expect(kept.quantized.isEmpty, "\(kept.quantized)")
        #expect(kept.keptFloat.filter { $0.reason == "keep-float" }.count == 3)
        let (half, halfSummary) = try Self.quantize("convnet", .float16, options: QuantizationOptions(keepFloat: ["CONV_2D"]), in: directory)
        #expect(halfSummary.keptFloat.count == 6, "\(halfSummary.keptFloat)")
        #expect(half.subgraphs[0].operators.filter { half.operatorCode(of: $0)?.builtinCode == .conv2D }.allSatisfy { op in
            op.inputs.dropFirst().allSatisfy { $0 < 0 || half.subgraphs[0].tensors[Int($0)].type == .float32 }
        })
    }

    /// The same input gives the same bytes.
    @Test func quantizingIsDeterministic() throws {
        let a = try Fixtures.temporaryDirectory(), b = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        for mode in [QuantizationMode.float16, .dynamic, .weightInt8] {
            _ = try Self.quantize("convnet", mode, in: a)
            _ = try Self.quantize("convnet", mode, in: b)
            let name = "convnet.\(mode.rawValue).tflite"
            #expect(try Data(contentsOf: a.appending(path: name)) == Data(contentsOf: b.appending(path: name)))
        }
    }

    /// Metadata, labels and packed files survive; `validate` passes on the output as on the input.
    @Test(arguments: [QuantizationMode.float16, .dynamic, .weightInt8])
    func metadataAndPackedFilesSurvive(_ mode: QuantizationMode) throws {
        let input = Fixtures.url("metadata/image_classifier_float/model.tflite").path
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        try Quantizer.quantize(input, mode: mode, options: QuantizationOptions(minElements: 0), to: output)
        let before = try ModelFile(contentsOf: input), after = try ModelFile(contentsOf: output)
        #expect(try after.metadataJSON() == before.metadataJSON())
        #expect(after.associatedFiles.names == before.associatedFiles.names)
        for name in before.associatedFiles.names {
            #expect(after.associatedFiles.contents(of: name).map(Array.init) == before.associatedFiles.contents(of: name).map(Array.init))
        }
        let metadata = try #require(try after.metadata())
        let problems = MetadataValidator(file: after).validate(metadata).filter { $0.severity == .error }
        let inputProblems = MetadataValidator(file: before).validate(try #require(try before.metadata())).filter { $0.severity == .error }
        #expect(inputProblems.isEmpty)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// Calibrated modes are refused until calibration exists; nothing is written.
    @Test func calibratedModesAreRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        #expect(throws: QuantizationError.self) {
            try Quantizer.quantize(Fixtures.url("quant/mlp.float.tflite").path, mode: .int8, to: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

/// The weight formats' arithmetic.
@Suite struct WeightQuantizationTests {
    @Test func int8RoundingIsHalfAwayFromZeroThenClamped() {
        let values: [Float] = [0, 0.5, -0.5, 1.49999, 1.5, -1.5, 2.5, -2.5, 126.5, 127.4, 130, -127.6, -1000,
                               .infinity, -.infinity, .nan, 0.49999997, -0.49999997, 63.5]
        var output = [Int8](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBytes { raw in
                WeightQuantization.quantizeSymmetric(input, scales: [1 / 127 * 127], layout: .init(outer: 1, channels: 1, inner: values.count), into: raw)
            }
        }
        let expected: [Int8] = values.map { value in
            guard !value.isNaN else { return 0 }
            return Int8(min(127, max(-127, value.rounded(.toNearestOrAwayFromZero))))
        }
        #expect(output == expected)
    }

    @Test func float16BitsRoundToNearestEven() {
        #expect(WeightQuantization.halfBits(1) == 0x3C00)
        #expect(WeightQuantization.halfBits(-2) == 0xC000)
        #expect(WeightQuantization.halfBits(65504) == 0x7BFF)
        #expect(WeightQuantization.halfBits(65520) == 0x7C00, "rounds up to infinity")
        #expect(WeightQuantization.halfBits(5.960464477539063e-08) == 0x0001, "smallest subnormal")
        #expect(WeightQuantization.halfBits(1 + 1.0 / 2048) == 0x3C00, "a tie rounds to even")
        #expect(WeightQuantization.halfBits(1 + 3.0 / 2048) == 0x3C02)
        #expect(WeightQuantization.halfBits(.nan) & 0x7C00 == 0x7C00 && WeightQuantization.halfBits(.nan) & 0x3FF != 0)
        #expect(WeightQuantization.halfBits(1e-10) == 0)
    }

    @Test func perChannelScalesAlongAnAxis() throws {
        // Shape [2, 3]: per channel along 1, channels are columns.
        let values: [Float] = [1, -4, 0, -2, 3, 0]
        let layout = try #require(WeightQuantization.ChannelLayout(shape: [2, 3], axis: 1))
        #expect(layout == .init(outer: 2, channels: 3, inner: 1))
        let scales = values.withUnsafeBufferPointer { WeightQuantization.symmetricScales($0, layout: layout) }
        #expect(scales == [2 / 127, 4 / 127, 1])
        #expect(WeightQuantization.ChannelLayout(shape: [2, 3], axis: 2) == nil)
        #expect(WeightQuantization.ChannelLayout(shape: [2, -1], axis: nil) == nil)
    }
}

/// Hostile shapes and data sizes are refused by name, never trap.
@Suite struct WeightModesHostileTests {
    @Test(arguments: ["[2147483647, 2147483647]", "[2147483647, 2147483647, 4]", "[3]", "[-1, 4]"])
    func weightWhoseShapeDoesNotMatchItsData(_ shape: String) throws {
        let json = """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 9, "builtin_code": "FULLY_CONNECTED" }],
          "subgraphs": [{ "tensors": [
              { "name": "x", "shape": [1, 4], "type": "FLOAT32", "buffer": 0 },
              { "name": "w", "shape": \(shape), "type": "FLOAT32", "buffer": 1 },
              { "name": "y", "shape": [1, 1], "type": "FLOAT32", "buffer": 0 } ],
            "inputs": [0], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1, -1], "outputs": [2] }] }],
          "buffers": [{}, { "data": [0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63] }]
        }
        """
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appending(path: "hostile.tflite"), output = directory.appending(path: "out.tflite")
        try Data(try FlatBufferSchema.model.binary(fromJSON: json)).write(to: input)
        for mode in [QuantizationMode.float16, .dynamic, .weightInt8] {
            #expect {
                try Quantizer.quantize(input.path, mode: mode, options: QuantizationOptions(minElements: 0), to: output.path)
            } throws: { error in
                "\(error)".hasPrefix("\(input.path): subgraphs[0].tensors[1].buffer: holds 16 bytes")
            }
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }
}
