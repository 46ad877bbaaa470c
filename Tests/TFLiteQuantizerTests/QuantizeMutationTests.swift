import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer

/// Damaged models through the quantizer (issue #22): each run fails with an error naming the
/// file and writes nothing, or writes a model that reads back; never a crash. In-process for
/// many mutants, through the built `tflquant` for some (exit 0 or 1, one-line errors).
@Suite struct QuantizeMutationTests {
    static let fixtures = ["quant/convnet.float.tflite", "quant/mlp.float.tflite", "metadata/image_classifier_float/model.tflite",
                           "metadata/bert_nl_classifier/model.tflite"]

    static func mutants(_ fixture: String, count: Int, seed: UInt64) -> [Mutant] {
        let data = (try? Data(contentsOf: Fixtures.url(fixture))) ?? Data()
        return Mutator.mutants(of: data, source: fixture, count: count, seed: seed)
    }

    @Test(arguments: fixtures)
    func mutantsInProcess(_ fixture: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appending(path: "mutant.tflite").path, output = directory.appending(path: "out.tflite").path
        var written = 0
        for (index, mutant) in Self.mutants(fixture, count: 150, seed: 0x0A17_0022).enumerated() {
            try mutant.data.write(to: URL(fileURLWithPath: input))
            let mode = [QuantizationMode.float16, .dynamic, .weightInt8][index % 3]
            do throws(QuantizationError) {
                try Quantizer.quantize(input, mode: mode, options: QuantizationOptions(minElements: 0), to: output)
                written += 1
                #expect((try? Model(contentsOf: output)) != nil, "\(mutant): wrote an unreadable model")
                try? FileManager.default.removeItem(atPath: output)
            } catch {
                #expect(error.file == input, "\(mutant): \(error)")
                #expect(!error.description.contains("\n"), "\(mutant): \(error)")
                #expect(!error.reason.hasPrefix("internal error"), "\(mutant): \(error)")
                #expect(!FileManager.default.fileExists(atPath: output), "\(mutant): failed but wrote the output")
            }
            let stray = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
            #expect(stray.isEmpty, "\(mutant) left \(stray)")
        }
        print("mutation: tflquant \(fixture): \(written) of 150 mutants quantized")
    }

    @Test func mutantsThroughTheTool() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var statuses: [Int32: Int] = [:]
        for (index, fixture) in Self.fixtures.enumerated() {
            for (number, mutant) in Self.mutants(fixture, count: 10, seed: 0xC11_0022 &+ UInt64(index)).enumerated() {
                let input = directory.appending(path: "mutant-\(index)-\(number).tflite")
                let output = directory.appending(path: "out-\(index)-\(number).tflite")
                try mutant.data.write(to: input)
                let mode = ["float16", "dynamic", "weight-int8"][number % 3]
                let result = try CommandRunner.run("tflquant", [input.path, "--mode", mode, "--min-elements", "0", "-o", output.path], timeout: 60)
                statuses[result.status, default: 0] += 1
                #expect(!result.signaled, "\(mutant) died by signal: \(result.stderr)")
                #expect([0, 1].contains(result.status), "\(mutant) exited \(result.status): \(result.stderr)")
                if result.status == 1 {
                    #expect(result.stderr.split(separator: "\n").count == 1, "\(mutant): \(result.stderr)")
                    #expect(!FileManager.default.fileExists(atPath: output.path), "\(mutant) failed but wrote \(output.path)")
                }
            }
        }
        print("mutation: tflquant through the tool: exit statuses \(statuses.sorted { $0.key < $1.key })")
    }
}
