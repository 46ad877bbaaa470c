import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer
import TFLiteRuntime

/// What `tflquant` writes, loaded and run by the real LiteRT (`scripts/interop/quant_check.py`):
/// every mode's output of every quantizer fixture loads, runs, and gives what our interpreter
/// gives on the same input. Runs when the reference venv is present (`make interop`).
@Suite(.enabled(if: ReferenceTools.available, "needs the reference venv (make interop)"))
struct QuantizeInteropTests {
    @Test func liteRTRunsEveryOutputAsOurInterpreterDoes() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var triples: [String] = []
        for network in WeightModesTests.networks {
            for mode in [QuantizationMode.float16, .dynamic, .weightInt8] {
                let (model, _) = try WeightModesTests.quantize(network, mode, in: directory)
                let interpreter = try Interpreter(model: model)
                try interpreter.allocateTensors()
                let input = try WeightModesTests.input(for: interpreter, seed: 11)
                _ = try interpreter.copy(input, toInputAt: 0)
                try interpreter.invoke()
                let name = "\(network).\(mode.rawValue)"
                try input.write(to: directory.appending(path: "\(name).input"))
                try interpreter.output(at: 0).data.write(to: directory.appending(path: "\(name).ours"))
                triples += [model.storage.source, directory.appending(path: "\(name).input").path, directory.appending(path: "\(name).ours").path]
            }
        }
        let (status, report) = try ReferenceTools.runScript("interop/quant_check.py", triples)
        #expect(status == 0, "\(report)")
        #expect(report.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == triples.count / 3, "\(report)")
        print(report)
    }
}
