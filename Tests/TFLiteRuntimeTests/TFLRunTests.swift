import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// `tflrun run`, `bench` and `ops` on conformance cases: outputs equal LiteRT's, errors are one
/// line with exit status 1 and never a crash.
@Suite struct TFLRunTests {
    static let addCase = Fixtures.url("conformance/add_bcast4d_int8")
    static let floatCase = Fixtures.url("conformance/add_same_float32")
    static let interpreterFixtures = Fixtures.url("interpreter")

    static func expectOneLineFailure(_ result: CommandResult, mentioning text: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "exit status", sourceLocation: sourceLocation)
        #expect(!result.signaled, sourceLocation: sourceLocation)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.contains("\n"), "one line: \(message)", sourceLocation: sourceLocation)
        #expect(message.contains(text), "\(message)", sourceLocation: sourceLocation)
    }

    @Test func runWritesLiteRTOutputs() throws {
        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CommandRunner.run("tflrun", [
            "run", Self.addCase.appending(path: "model.tflite").path,
            "--input", Self.addCase.appending(path: "input_0.npy").path,
            "--input", Self.addCase.appending(path: "input_1.npy").path,
            "--output-dir", out.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try NumPyArray(contentsOf: out.appending(path: "output_0.npy").path)
        let expected = try NumPyArray(contentsOf: Self.addCase.appending(path: "output_0.npy").path)
        #expect(written == expected)
    }

    @Test func runWithSignatureUsesItsOrder() throws {
        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let model = try Interpreter(modelPath: Self.interpreterFixtures.appending(path: "two_signatures.tflite").path).model
        let names = try Interpreter.signatureRunner(model: model, key: "add").inputNames
        let result = try CommandRunner.run("tflrun", [
            "run", Self.interpreterFixtures.appending(path: "two_signatures.tflite").path, "--signature", "add",
            "--output-dir", out.path,
        ] + names.flatMap { ["--input", Self.interpreterFixtures.appending(path: "add_\($0).npy").path] })
        #expect(result.status == 0, "\(result.stderr)")
        let written = try NumPyArray(contentsOf: out.appending(path: "output_0.npy").path)
        #expect(written == (try NumPyArray(contentsOf: Self.interpreterFixtures.appending(path: "add_out.npy").path)))

        let missing = try CommandRunner.run("tflrun", [
            "run", Self.interpreterFixtures.appending(path: "two_signatures.tflite").path, "--signature", "nope", "--output-dir", out.path,
        ])
        Self.expectOneLineFailure(missing, mentioning: "no signature \"nope\"")
    }

    @Test func inputMismatchesAreOneLineErrors() throws {
        let model = Self.addCase.appending(path: "model.tflite").path
        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let wrongType = try CommandRunner.run("tflrun", [
            "run", model, "--input", Self.floatCase.appending(path: "input_0.npy").path,
            "--input", Self.addCase.appending(path: "input_1.npy").path, "--output-dir", out.path,
        ])
        Self.expectOneLineFailure(wrongType, mentioning: "expects int8, the file holds float32")
        let wrongShape = try CommandRunner.run("tflrun", [
            "run", model, "--input", Self.addCase.appending(path: "input_1.npy").path,
            "--input", Self.addCase.appending(path: "input_1.npy").path, "--output-dir", out.path,
        ])
        Self.expectOneLineFailure(wrongShape, mentioning: "expects shape [2, 1, 5, 1]")
        let wrongCount = try CommandRunner.run("tflrun", [
            "run", model, "--input", Self.addCase.appending(path: "input_0.npy").path, "--output-dir", out.path,
        ])
        Self.expectOneLineFailure(wrongCount, mentioning: "takes 2 inputs, got 1")
        let notNpy = try CommandRunner.run("tflrun", [
            "run", model, "--input", model, "--input", model, "--output-dir", out.path,
        ])
        Self.expectOneLineFailure(notNpy, mentioning: "not a NumPy .npy file")
    }

    @Test func badModelsNameTheFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let garbage = directory.appending(path: "garbage.tflite")
        try Data("not a model at all, just some bytes".utf8).write(to: garbage)
        let truncated = directory.appending(path: "truncated.tflite")
        try Data(contentsOf: Self.addCase.appending(path: "model.tflite")).prefix(100).write(to: truncated)
        for path in [garbage.path, truncated.path, directory.appending(path: "missing.tflite").path] {
            for arguments in [["ops", path], ["bench", path, "--runs", "1"], ["run", path, "--output-dir", directory.path]] {
                let result = try CommandRunner.run("tflrun", arguments)
                Self.expectOneLineFailure(result, mentioning: path)
            }
        }
    }

    @Test func opsListsSupport() throws {
        let result = try CommandRunner.run("tflrun", ["ops", Self.interpreterFixtures.appending(path: "unsupported_cumsum.tflite").path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("ADD") && $0.hasSuffix("yes") })
        #expect(lines.contains { $0.contains("CUMSUM") && $0.hasSuffix("no") })
        #expect(lines.last?.contains("unsupported: CUMSUM") == true)

        let json = try CommandRunner.run("tflrun", ["ops", Self.addCase.appending(path: "model.tflite").path, "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["name"] as? String == "ADD")
        #expect(rows.first?["supported"] as? Bool == true)
    }

    @Test func benchReportsLatencyAndProfile() throws {
        let model = Self.addCase.appending(path: "model.tflite").path
        let json = try CommandRunner.run("tflrun", ["bench", model, "--runs", "5", "--warmup", "1", "--json", "--profile"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        for key in ["median_ms", "min_ms", "p90_ms", "init_ms"] {
            #expect((report[key] as? Double ?? -1) >= 0, "\(key)")
        }
        #expect((report["peak_memory_bytes"] as? Int ?? 0) > 0)
        let operators = try #require(report["operators"] as? [[String: Any]])
        #expect(operators.first?["op"] as? String == "ADD")
        let slowest = try #require(report["slowest_operators"] as? [[String: Any]])
        #expect(slowest.count == 1)
        #expect(slowest.first?["index"] as? Int == 0)
        #expect(slowest.first?["op"] as? String == "ADD")
        #expect((slowest.first?["ms"] as? Double ?? -1) >= 0)

        let text = try CommandRunner.run("tflrun", ["bench", model, "--runs", "3", "--profile"])
        #expect(text.output.contains("slowest operators:"))
        #expect(text.output.contains("#0"))
        #expect(text.status == 0)
        #expect(text.output.contains("median"))
        #expect(text.output.contains("p90"))
        #expect(text.output.contains("peak memory"))
        #expect(text.output.contains("share"))

        let unsupported = try CommandRunner.run("tflrun", ["bench", Self.interpreterFixtures.appending(path: "unsupported_cumsum.tflite").path])
        Self.expectOneLineFailure(unsupported, mentioning: "(CUMSUM) is not supported")
        let badRuns = try CommandRunner.run("tflrun", ["bench", model, "--runs", "0"])
        #expect(badRuns.status != 0)
    }

    @Test func benchTopChoosesHowManySlowestOperatorsToList() throws {
        let model = Fixtures.url("codegen/models/ImageClassifierInt8.tflite").path
        func slowest(_ extra: [String]) throws -> [[String: Any]] {
            let run = try CommandRunner.run("tflrun", ["bench", model, "--runs", "1", "--warmup", "0", "--json", "--profile"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
            return try #require(report["slowest_operators"] as? [[String: Any]])
        }
        let all = try slowest(["--top", "0"])
        #expect(all.count > 2)
        #expect(Set(all.compactMap { $0["index"] as? Int }).count == all.count)
        let two = try slowest(["--top", "2"])
        #expect(two.count == 2)
        let negative = try CommandRunner.run("tflrun", ["bench", model, "--top", "-1"])
        #expect(negative.status != 0)
    }
}
