import Foundation
import Testing
import TestSupport
import TFLiteModel

/// The `tflquant` command: writes the model and a summary; one-line errors naming the file,
/// nothing written on error.
@Suite struct TFLQuantCommandTests {
    @Test func writesAndSummarizesAsJSON() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        let result = try CommandRunner.run("tflquant", [Fixtures.url("quant/convnet.float.tflite").path, "--mode", "dynamic",
                                                        "-o", output, "--json", "--keep-float", "*dense_a*"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        #expect(summary?["mode"] as? String == "dynamic")
        #expect((summary?["outputBytes"] as? Int ?? 0) < (summary?["inputBytes"] as? Int ?? 0))
        #expect((summary?["quantized"] as? [String])?.count == 1)
        #expect(summary?["seconds"] is Double)
        #expect(try Model(contentsOf: output).subgraphs[0].tensors.contains { $0.type == .int8 })
    }

    @Test(arguments: [
        (["--mode", "int8"], "needs calibration"),
        (["--mode", "float8"], "float8"),
        (["--mode", "dynamic", "--min-elements", "-3"], "--min-elements"),
    ])
    func argumentErrors(_ arguments: [String], _ message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        let result = try CommandRunner.run("tflquant", [Fixtures.url("quant/mlp.float.tflite").path, "-o", output] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A file that is not a model: one line naming it; the existing output is untouched.
    @Test func badInputIsOneLineAndWritesNothing() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appending(path: "bad.tflite")
        try Data("not a model at all, just text\n".utf8).write(to: input)
        let output = directory.appending(path: "out.tflite")
        try Data("keep me".utf8).write(to: output)
        let result = try CommandRunner.run("tflquant", [input.path, "--mode", "float16", "-o", output.path])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("bad.tflite"))
        #expect(try Data(contentsOf: output) == Data("keep me".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["bad.tflite", "out.tflite"])
    }
}
