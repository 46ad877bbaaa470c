import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer

@Suite struct ReportTests {
    @Test func errorStatisticsOfKnownValues() {
        var statistics = ErrorStatistics()
        let reference: [Float] = [1, -2, 3, 4]
        let quantized: [Float] = [1, -2.5, 3, 3]
        reference.withUnsafeBufferPointer { r in quantized.withUnsafeBufferPointer { q in statistics.add(reference: r, quantized: q) } }
        #expect(statistics.count == 4)
        #expect(statistics.maxError == 1)
        #expect(abs(statistics.rmse - (1.25 / 4).squareRoot()) < 1e-12)
        #expect(abs(statistics.sqnr - 10 * log10(30 / 1.25)) < 1e-9)
        var exact = ErrorStatistics()
        reference.withUnsafeBufferPointer { r in exact.add(reference: r, quantized: r) }
        #expect(exact.sqnr == .infinity)
    }

    /// `--report`: every quantized activation measured on the calibration samples, the JSON
    /// written, the output's SQNR what LiteRT's builtin kernels give on the same model and
    /// samples (36.45 dB; its reference kernels, which round FULLY_CONNECTED differently, give
    /// 36.67), top-1 agreement, and a table of the worst tensors.
    @Test func reportOfAFixtureNetwork() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let float = QuantFixture.folder("mixnet").appending(path: "float.tflite").path
        let output = directory.appending(path: "q.tflite").path
        let reportPath = directory.appending(path: "report.json").path
        let options = QuantizationOptions(calibration: QuantFixture.calibrationPaths("mixnet", inputs: 2), reportPath: reportPath)
        let summary = try Quantizer.quantize(float, mode: .int8, options: options, to: output)
        let report = try #require(summary.report)
        #expect(report.samples == 24)
        // Two inputs, three FULLY_CONNECTED, TANH, LOGISTIC, ADD, MUL, CONCATENATION.
        #expect(report.layers.count == 10)
        #expect(report.layers.allSatisfy { $0.rmseOverScale > 0.2 && $0.rmseOverScale < 1 && ($0.sqnr ?? 0) > 30 })
        let out = try #require(report.outputs.first)
        #expect(abs((out.sqnr ?? 0) - 36.45) < 0.01)
        #expect(out.top1Agreement == 1)
        let decoded = try JSONDecoder().decode(QuantizationReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))
        #expect(decoded.layers == report.layers)
        let table = report.table()
        #expect(table.hasPrefix("worst 10 of 10 quantized tensors on 24 samples:"))
        #expect(report.worstLayers(3).map(\.sqnr) == report.layers.map(\.sqnr).sorted { ($0 ?? .infinity) < ($1 ?? .infinity) }.prefix(3).map { $0 })
    }

    /// `--report-samples`: the report measures on its own samples (all of them), not on the
    /// calibration ones (`--samples 4` limits calibration only).
    @Test func reportOnItsOwnSamples() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let float = QuantFixture.folder("mixnet").appending(path: "float.tflite").path
        let output = directory.appending(path: "q.tflite").path
        let reportPath = directory.appending(path: "report.json").path
        let paths = QuantFixture.calibrationPaths("mixnet", inputs: 2)
        let calibrationOnly = try Quantizer.quantize(float, mode: .int8, options: QuantizationOptions(calibration: paths, samples: 4, reportPath: reportPath), to: output)
        #expect(calibrationOnly.report?.samples == 4)
        let options = QuantizationOptions(calibration: paths, samples: 4, reportPath: reportPath, reportSamples: paths)
        let summary = try Quantizer.quantize(float, mode: .int8, options: options, to: output)
        #expect(summary.report?.samples == 24)
        // A report sample file that does not fit the model: an error naming it, before anything
        // is written.
        try FileManager.default.removeItem(atPath: output)
        let wrong = QuantizationOptions(calibration: paths, samples: 4, reportPath: reportPath, reportSamples: [paths[1], paths[0]])
        #expect { try Quantizer.quantize(float, mode: .int8, options: wrong, to: output) } throws: { error in
            "\(error)".contains("calib_1.npy") && "\(error)".contains("does not match")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
