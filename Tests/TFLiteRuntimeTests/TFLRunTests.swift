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

    /// Outputs whose shapes the run computes (WHERE of a computed mask, UNIQUE, a loop value
    /// that grows) are written with those shapes, equal to LiteRT's.
    @Test(arguments: ["where_gather_nd_float32", "unique_computed_int64", "while_grow_rows_float32"])
    func runWritesOutputsWithTheirRunTimeShapes(_ name: String) throws {
        let directory = Fixtures.url("conformance/\(name)")
        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let inputs = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("input_") }.sorted()
        let expected = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("output_") }.sorted()
        let result = try CommandRunner.run("tflrun", ["run", directory.appending(path: "model.tflite").path]
            + inputs.flatMap { ["--input", directory.appending(path: $0).path] } + ["--output-dir", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        for file in expected {
            let written = try NumPyArray(contentsOf: out.appending(path: file).path)
            let reference = try NumPyArray(contentsOf: directory.appending(path: file).path)
            #expect(written.shape == reference.shape, "\(name) \(file)")
            let differences = zip(written.doubles(), reference.doubles()).map { abs($0 - $1) }
            #expect(differences.allSatisfy { $0 <= 1e-5 }, "\(name) \(file)")
        }
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
        let result = try CommandRunner.run("tflrun", ["ops", Self.interpreterFixtures.appending(path: "unsupported_custom.tflite").path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("ADD") && $0.hasSuffix("yes") })
        #expect(lines.contains { $0.contains("Erfinv") && $0.hasSuffix("no") })
        #expect(lines.last?.contains("unsupported: Erfinv") == true)

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

        let unsupported = try CommandRunner.run("tflrun", ["bench", Self.interpreterFixtures.appending(path: "unsupported_custom.tflite").path])
        Self.expectOneLineFailure(unsupported, mentioning: "(Erfinv) is not supported")
        let badRuns = try CommandRunner.run("tflrun", ["bench", model, "--runs", "0"])
        #expect(badRuns.status != 0)
    }

    /// `--dense-weights` keeps sparse weights on the dense kernels; both routes run.
    @Test func benchDenseWeightsRuns() throws {
        let model = Fixtures.url("sparse/int8_1x16_row/model.tflite").path
        for extra in [[], ["--dense-weights"]] {
            let result = try CommandRunner.run("tflrun", ["bench", model, "--runs", "2", "--warmup", "0", "--json"] + extra)
            #expect(result.status == 0, "\(extra): \(result.stderr)")
            let report = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
            #expect((report?["median_ms"] as? Double ?? -1) >= 0, "\(extra)")
        }
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

    // MARK: Feeding any model (inputs, ranges, shapes, signatures)

    static func conformanceModel(_ name: String) -> String {
        Fixtures.url("conformance/\(name)/model.tflite").path
    }

    @Test func benchKeepsIndexInputsInsideTheTableTheyIndex() throws {
        // GATHER along axis 1 of a [3, 5] table: generated int64 indices must stay below 5 (the
        // old filler drew from [0, 8) and failed with "index 7 is out of range [0, 5)").
        for name in ["gather_int64_indices_int8", "gather_const_params_float32", "gather_axis1_float32", "embedding_lookup_float32"] {
            let result = try CommandRunner.run("tflrun", ["bench", Self.conformanceModel(name), "--runs", "3", "--warmup", "2"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
    }

    @Test func benchInputRangeSetsGeneratedValues() throws {
        let model = Self.conformanceModel("gather_int64_indices_int8")
        // Every index 9 is out of a 5-row table: the range reaches the model.
        let outside = try CommandRunner.run("tflrun", ["bench", model, "--runs", "1", "--input-range", "t1=9,9"])
        Self.expectOneLineFailure(outside, mentioning: "index 9 is out of range")
        let inside = try CommandRunner.run("tflrun", ["bench", model, "--runs", "1", "--input-range", "1=4,4", "--input-range", "t0=-3,3"])
        #expect(inside.status == 0, "\(inside.stderr)")
        let empty = try CommandRunner.run("tflrun", ["bench", model, "--runs", "1", "--input-range", "t1=2.2,2.8"])
        Self.expectOneLineFailure(empty, mentioning: "holds no int64 value")
        let unknown = try CommandRunner.run("tflrun", ["bench", model, "--runs", "1", "--input-range", "ids=0,1"])
        Self.expectOneLineFailure(unknown, mentioning: "names input \"ids\", which the model does not have (inputs: \"t0\", \"t1\")")
        let malformed = try CommandRunner.run("tflrun", ["bench", model, "--input-range", "t1=3"])
        #expect(malformed.status != 0)
        let onRun = try CommandRunner.run("tflrun", ["run", model, "--input-range", "t1=0,1", "--output-dir", "/nonexistent"])
        #expect(onRun.status != 0)
        #expect(onRun.stderr.contains("--input-range is for bench"))
    }

    @Test func benchReadsInputFilesAndSignatures() throws {
        let model = Self.addCase.appending(path: "model.tflite").path
        let files = try CommandRunner.run("tflrun", ["bench", model, "--runs", "2",
                                                     "--input", Self.addCase.appending(path: "input_0.npy").path,
                                                     "--input", Self.addCase.appending(path: "input_1.npy").path])
        #expect(files.status == 0, "\(files.stderr)")
        let oneFile = try CommandRunner.run("tflrun", ["bench", model, "--input", Self.addCase.appending(path: "input_0.npy").path])
        Self.expectOneLineFailure(oneFile, mentioning: "takes 2 inputs, got 1")

        let signatures = Self.interpreterFixtures.appending(path: "two_signatures.tflite").path
        let signature = try CommandRunner.run("tflrun", ["bench", signatures, "--signature", "add", "--runs", "2", "--json"])
        #expect(signature.status == 0, "\(signature.stderr)")
        let missing = try CommandRunner.run("tflrun", ["bench", signatures, "--signature", "nope"])
        Self.expectOneLineFailure(missing, mentioning: "no signature \"nope\"")
    }

    @Test func inputShapeResizesOnlyDynamicDimensions() throws {
        // x is [1, 4, 6] with shape signature [-1, 4, 6].
        let name = "reshape_dynamic_batch_shape_float32"
        let model = Self.conformanceModel(name)
        let batch = try CommandRunner.run("tflrun", ["bench", model, "--runs", "2", "--input-shape", "x=7,4,6"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let fixed = try CommandRunner.run("tflrun", ["bench", model, "--input-shape", "x=7,5,6"])
        Self.expectOneLineFailure(fixed, mentioning: "dimension 1 is fixed at 4, not 5")
        let rank = try CommandRunner.run("tflrun", ["bench", model, "--input-shape", "0=7,4"])
        Self.expectOneLineFailure(rank, mentioning: "rank 3")

        let out = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        // run: the input file's batch of 3 resizes the dynamic dimension.
        let run = try CommandRunner.run("tflrun", ["run", model, "--input", Fixtures.url("conformance/\(name)/input_0.npy").path,
                                                   "--output-dir", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let written = try NumPyArray(contentsOf: out.appending(path: "output_0.npy").path)
        #expect(written == (try NumPyArray(contentsOf: Fixtures.url("conformance/\(name)/output_0.npy").path)))
    }
}
