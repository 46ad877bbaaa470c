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
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let float = QuantFixture.folder(net).appending(path: "float.tflite").path
        let inputCount = try QuantFixture.model(net, "float").subgraphs[0].inputs.count
        let calibration = QuantFixture.calibrationPaths(net, inputs: inputCount)
        let output = directory.appending(path: "q.tflite").path
        let summary = try Quantizer.quantize(float, mode: mode, options: QuantizationOptions(calibration: calibration, io: io), to: output)
        #expect(summary.floatOperators.isEmpty)

        let samples = 6
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ReferenceTools.python))
        process.arguments = [Fixtures.root.appending(path: "scripts/interop/quant_run.py").path, output, directory.path, "\(samples)"] + calibration
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(net) \(mode) \(io): \(report)")

        let interpreter = try Interpreter(modelPath: output)
        try interpreter.allocateTensors()
        let rows = try calibration.map { try NumPyRows(contentsOf: $0) }
        for sample in 0..<samples {
            for (input, file) in rows.enumerated() {
                let info = try interpreter.inputInfo(at: input)
                var data = try file.rowData(sample)
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
                #expect(ours == reference.data, "\(net) \(mode) \(io): sample \(sample) output \(position) differs from LiteRT's")
            }
        }
    }
}
