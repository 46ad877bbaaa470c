import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer

/// Damaged models and calibration files through the full-integer modes: a one-line error naming
/// the file, or a model our reader accepts; never a crash, never a partial output.
@Suite struct FullIntegerMutationTests {
    @Test(arguments: ["convnet", "mixnet"])
    func mutatedModelsGiveOneLineErrors(net: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try Data(contentsOf: QuantFixture.folder(net).appending(path: "float.tflite"))
        let inputs = try QuantFixture.model(net, "float").subgraphs[0].inputs.count
        let calibration = QuantFixture.calibrationPaths(net, inputs: inputs)
        var refused = 0, written = 0
        for mutant in Mutator.mutants(of: data, source: net, count: 120, seed: 23) {
            let path = directory.appending(path: "m.tflite").path
            let output = directory.appending(path: "out.tflite").path
            try? FileManager.default.removeItem(atPath: output)
            try mutant.data.write(to: URL(fileURLWithPath: path))
            let mode: QuantizationMode = mutant.index % 2 == 0 ? .int8 : .int16x8
            do {
                try Quantizer.quantize(path, mode: mode, options: QuantizationOptions(calibration: calibration, samples: 2), to: output)
                _ = try Model(contentsOf: output)
                written += 1
            } catch let error as QuantizationError {
                #expect(!error.description.contains("\n"), "\(mutant): \(error)")
                #expect(error.description.hasPrefix(path) || error.description.contains(".npy"), "\(mutant): \(error)")
                #expect(!FileManager.default.fileExists(atPath: output), "\(mutant): output written on error")
                refused += 1
            }
        }
        #expect(refused > 0)
        print("full-integer mutation: \(net): \(refused) refused, \(written) written")
    }

    @Test func mutatedCalibrationFilesGiveOneLineErrors() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try QuantFixture.model("convnet", "float")
        let original = QuantFixture.calibrationPaths("convnet", inputs: 1)[0]
        let data = try Data(contentsOf: URL(fileURLWithPath: original))
        for mutant in Mutator.mutants(of: data, source: "calib_0.npy", count: 120, seed: 7) {
            let path = directory.appending(path: "c.npy").path
            try mutant.data.write(to: URL(fileURLWithPath: path))
            do {
                let samples = try CalibrationSamples(paths: [path], subgraph: model.subgraphs[0], limit: 3)
                _ = try Calibrator.ranges(of: model, samples: samples, source: "convnet")
            } catch {
                #expect(!error.description.contains("\n") && error.description.contains("c.npy") || error.description.contains("NaN"), "\(mutant): \(error)")
            }
        }
    }
}
