import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer
import TFLiteRuntime

/// Full-integer models written by `tflquant`'s library, run by the real LiteRT 2.3
/// (`scripts/interop/quant_run.py`): LiteRT loads and runs every one, and our interpreter gives
/// the same outputs, bit for bit. Runs when the reference venv is present (`make interop`).
@Suite(.enabled(if: ReferenceTools.available, "needs the reference venv (make interop)"))
struct FullIntegerInteropTests {
    static let cases: [(net: String, mode: QuantizationMode, io: IOType)] = QuantFixture.networks.flatMap { net in
        [(net, .int8, .float), (net, .int16x8, .float), (net, .int8, .uint8), (net, .int16x8, .int16)]
    }

    @Test(arguments: 0..<cases.count)
    func liteRTRunsOurModelsAndAgrees(caseIndex: Int) throws {
        let (net, mode, io) = Self.cases[caseIndex]
        let float = QuantFixture.folder(net).appending(path: "float.tflite").path
        let inputCount = try QuantFixture.model(net, "float").subgraphs[0].inputs.count
        let summary = try Self.check(float, calibration: QuantFixture.calibrationPaths(net, inputs: inputCount), mode: mode, io: io, samples: 6)
        #expect(summary.floatOperators.isEmpty)
    }

    /// Operators kept float between integer ones, next to integer inputs and outputs: the
    /// DEQUANTIZE/QUANTIZE edges are where LiteRT expects them.
    @Test(arguments: [("mixnet", QuantizationMode.int8, IOType.int8, ["FULLY_CONNECTED"]), ("mixnet", .int8, .uint8, ["TANH", "PartitionedCall*"]),
                      ("samescale", .int8, .uint8, ["CONCATENATION"]), ("samescale", .int16x8, .int16, ["AVERAGE_POOL_2D", "PAD"]),
                      ("convnet", .int8, .float, ["SOFTMAX"])])
    func keptFloatOperators(net: String, mode: QuantizationMode, io: IOType, keep: [String]) throws {
        let float = QuantFixture.folder(net).appending(path: "float.tflite").path
        let inputCount = try QuantFixture.model(net, "float").subgraphs[0].inputs.count
        let run = { try Self.check(float, calibration: QuantFixture.calibrationPaths(net, inputs: inputCount), mode: mode, io: io, samples: 4, keepFloat: keep) }
        let summary = try run()
        #expect(!summary.floatOperators.isEmpty)
    }

    /// Single-operator conformance models (their input as the one calibration sample): fixed
    /// outputs (LOG_SOFTMAX), an operator without an int16 kernel in LiteRT (HARD_SWISH, kept
    /// float in int16x8 and said so).
    @Test(arguments: ["hard_swish_float32", "log_softmax_float32", "l2_normalization_last_axis_float32", "depth_to_space_b2_float32"],
          [QuantizationMode.int8, .int16x8])
    func singleOperatorModels(name: String, mode: QuantizationMode) throws {
        let folder = Fixtures.url("conformance/\(name)")
        let summary = try Self.check(folder.appending(path: "model.tflite").path, calibration: [folder.appending(path: "input_0.npy").path],
                                     mode: mode, io: .float, samples: 1)
        // None of the four has an int16 kernel in LiteRT 2.3.
        if mode == .int16x8 {
            #expect(summary.floatOperators.count == 1 && summary.floatOperators[0].reason.contains("no int16x8 kernel"))
        } else {
            #expect(summary.floatOperators.isEmpty, "\(summary.floatOperators)")
        }
    }

    /// Quantizes `float`, has LiteRT run the result on the first `samples` samples, and checks our
    /// interpreter gives the same bytes.
    static func check(_ float: String, calibration: [String], mode: QuantizationMode, io: IOType, samples: Int,
                      keepFloat: [String] = []) throws -> QuantizationSummary {
        let net = URL(fileURLWithPath: float).deletingLastPathComponent().lastPathComponent
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "q.tflite").path
        let summary = try Quantizer.quantize(float, mode: mode, options: QuantizationOptions(keepFloat: keepFloat, calibration: calibration, io: io),
                                             to: output)

        let (status, report) = try ReferenceTools.runScript("interop/quant_run.py", [output, directory.path, "\(samples)"] + calibration)
        try #require(status == 0, "\(net) \(mode) \(io): \(report)")

        let interpreter = try Interpreter(modelPath: output)
        try interpreter.allocateTensors()
        let model = try Model(contentsOf: float)
        let rows = try CalibrationSamples(paths: calibration, subgraph: model.subgraphs[0])
        for sample in 0..<samples {
            for input in calibration.indices {
                let info = try interpreter.inputTensor(at: input)
                var data = try rows.data(input: input, sample: sample)
                if info.type != .float32, let q = info.quantization {
                    // As NumPy: round half to even, clamp.
                    let (low, high): (Float, Float) = info.type == .uint8 ? (0, 255) : info.type == .int16 ? (-32768, 32767) : (-128, 127)
                    let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                    let values = floats.map { min(max(($0 / q.scale).rounded(.toNearestOrEven) + Float(q.zeroPoint), low), high) }
                    data = switch info.type {
                    case .uint8: Data(values.map { UInt8($0) })
                    case .int16: values.map { Int16($0) }.withUnsafeBytes { Data($0) }
                    default: Data(values.map { UInt8(bitPattern: Int8($0)) })
                    }
                }
                try interpreter.copy(data, toInputAt: input)
            }
            try interpreter.invoke()
            for position in 0..<interpreter.outputTensorCount {
                let ours = try interpreter.output(at: position).data
                let reference = try NumPyArray(contentsOf: directory.appending(path: "output_\(sample)_\(position).npy").path)
                if reference.type == .float32 {
                    // Float outputs of operators kept float: LiteRT's float kernels, within the
                    // conformance tolerance (integer outputs and DEQUANTIZE results are exact).
                    let a = ours.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                    let b = reference.data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                    let magnitude = max(b.map(abs).max() ?? 0, 1e-3)
                    #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * magnitude },
                            "\(net) \(mode) \(io): sample \(sample) output \(position) differs from LiteRT's")
                } else {
                    #expect(ours == reference.data, "\(net) \(mode) \(io): sample \(sample) output \(position) differs from LiteRT's")
                }
            }
        }
        return summary
    }
}
