import Foundation
import Testing
import TestSupport
import TFLiteMetadata
#if canImport(Glibc)
import Glibc
#endif

/// Issue #20: hostile inputs get bounded, clear refusals from `tflmeta` (FIFOs, oversized text
/// files and SPECs, terminal escapes in model text, partial extracts, lost concurrent edits).
@Suite struct HostileInputTests {
    static let plain = Fixtures.url("metadata/plain_float/model.tflite").path

    /// The one-line error of a run that must fail quickly and cleanly.
    /// `findings`: populate's validation findings (`error: field: …`) come before the error.
    static func refusal(_ arguments: [String], tool: String = "tflmeta", findings: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let started = Date()
        let result = try CommandRunner.run(tool, arguments, timeout: 20)
        #expect(!result.signaled, "\(tool) \(arguments.joined(separator: " ")) hung or crashed", sourceLocation: sourceLocation)
        #expect(result.status == 1, "\(tool) \(arguments.first ?? "") exited \(result.status)", sourceLocation: sourceLocation)
        let skipped = findings ? ["warning:", "note:", "error:"] : ["warning:", "note:"]
        let lines = result.stderr.split(separator: "\n").filter { line in !skipped.contains { line.hasPrefix($0) } }
        #expect(lines.count == 1, "one-line error, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(Date().timeIntervalSince(started) < 15, sourceLocation: sourceLocation)
        return result.stderr
    }

    static func makeFIFO(in directory: URL, _ name: String = "fifo") throws -> String {
        let path = directory.appending(path: name).path
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return path
    }

    static func write(_ text: String, to directory: URL, _ name: String) throws -> String {
        let url = directory.appending(path: name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    // MARK: FIFOs (item 6)

    @Test func aFIFOWithoutAWriterIsRefusedWherePathsAreTaken() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = try Self.makeFIFO(in: directory)
        let output = directory.appending(path: "out.tflite").path
        let labels = try Self.write("a\nb\nc\nd\ne\n", to: directory, "labels.txt")
        let runs: [[String]] = [
            ["show", fifo], ["files", fifo], ["validate", fifo], ["extract", fifo, "-o", directory.appending(path: "x").path],
            ["populate", fifo, "--name", "n", "-o", output],
            ["populate", Self.plain, "--file", fifo, "-o", output],
            ["populate", Self.plain, "--labels", fifo, "-o", output],
            ["populate", Self.plain, "--labels", labels, "--score-calibration", fifo, "-o", output],
            ["populate", Self.plain, "--metadata", fifo, "-o", output],
            ["populate", Self.plain, "--preset", "nl-classifier", "--vocab", fifo, "--labels", labels, "-o", output],
        ]
        for arguments in runs {
            let message = try Self.refusal(arguments)
            #expect(message.contains("not a regular file (a FIFO)"), "\(arguments): \(message)")
            #expect(message.contains(fifo), "names the file: \(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        // The option the path came from is named too.
        #expect(try Self.refusal(["populate", Self.plain, "--labels", fifo, "-o", output]).contains("--labels"))
        #expect(try Self.refusal(["populate", Self.plain, "--metadata", fifo, "-o", output]).contains("--metadata"))
    }

    // MARK: Size limits (items 8 and 11)

    /// A model whose TENSOR_AXIS_LABELS file `labels.txt` has 5 lines and `bytes` bytes: written
    /// with the big file under another name of the same length (not a label file), then the two
    /// names swapped in the zip headers only (populate itself refuses to write such a model).
    static func modelWithOversizedLabels(in directory: URL, bytes: Int) throws -> String {
        let spec = try write("""
            {"name": "big labels", "associated_files": [{"name": "labelz.txt", "description": "not text"}],
             "subgraph_metadata": [{"input_tensor_metadata": [{"name": "image"}],
               "output_tensor_metadata": [{"name": "probabilities",
                 "associated_files": [{"name": "labels.txt", "type": "TENSOR_AXIS_LABELS"}]}]}]}
            """, to: directory, "spec.json")
        let labels = try write("a\nb\nc\nd\ne\n", to: directory, "labels.txt")
        var big = Data("a\nb\nc\nd\n".utf8)
        big.append(Data(repeating: UInt8(ascii: "x"), count: bytes - big.count - 1))
        big.append(UInt8(ascii: "\n"))
        let bigPath = directory.appending(path: "labelz.txt")
        try big.write(to: bigPath)
        let staged = directory.appending(path: "staged.tflite").path
        let result = try CommandRunner.run("tflmeta", ["populate", plain, "--metadata", spec, "--file", labels, "--file", bigPath.path, "-o", staged])
        #expect(result.status == 0, "\(result.stderr)")
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: staged)))
        let archiveStart = try #require(try ModelFile(contentsOf: staged).associatedFiles.archiveStart)
        let a = Array("labels.txt".utf8)
        let b = Array("labelz.txt".utf8)
        var position = archiveStart
        while position + a.count <= data.count {
            let window = Array(data[position..<(position + a.count)])
            if window == a || window == b {
                data.replaceSubrange(position..<(position + a.count), with: window == a ? b : a)
                position += a.count
            } else {
                position += 1
            }
        }
        let path = directory.appending(path: "big-labels.tflite").path
        try Data(data).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: staged)
        try? FileManager.default.removeItem(at: bigPath)
        let check = try ModelFile(contentsOf: path)
        #expect(check.associatedFiles.entry(named: "labels.txt")?.size == bytes)
        return path
    }

    @Test func validateAndCodegenRefuseAnOversizedLabelFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Self.modelWithOversizedLabels(in: directory, bytes: TextFileLimit.bytes + 4096)
        let result = try CommandRunner.run("tflmeta", ["validate", model], timeout: 60)
        #expect(result.status == 1)
        #expect(result.output.contains("text-file-size") == false, "rule ids are not printed")
        #expect(result.output.contains("labels.txt is \(TextFileLimit.bytes + 4096) bytes, over the 16 MB limit for text files"), "\(result.output)")
        let json = try CommandRunner.run("tflmeta", ["validate", "--json", model], timeout: 60)
        #expect(json.output.contains("\"text-file-size\""))

        let codegen = CommandRunner.productsDirectory.appending(path: "tflcodegen").path
        if FileManager.default.isExecutableFile(atPath: codegen) {
            let message = try Self.refusal([model, "-o", directory.appending(path: "generated").path], tool: "tflcodegen")
            #expect(message.contains("over the 16 MB limit for text files"), "\(message)")
        }
    }

    @Test func populateRefusesLabelFilesValidateWouldReject() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        // Empty, blank, and the wrong count: refused even with --force (validate, tflcodegen and
        // the runtime refuse such a model).
        for (name, text, expected) in [("empty.txt", "", "has no labels"), ("blank.txt", " \n\t\n", "has no labels"),
                                       ("three.txt", "a\nb\nc\n", "has 3 labels")] {
            let labels = try Self.write(text, to: directory, name)
            let message = try Self.refusal(["populate", Self.plain, "--labels", labels, "--force", "-o", output], findings: true)
            #expect(message.contains(expected), "\(message)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
        // Over the size limit (5 lines, one of them huge): refused, not written unchecked.
        var big = Data("a\nb\nc\nd\n".utf8)
        big.append(Data(repeating: UInt8(ascii: "x"), count: TextFileLimit.bytes))
        let bigPath = directory.appending(path: "big.txt")
        try big.write(to: bigPath)
        let message = try Self.refusal(["populate", Self.plain, "--labels", bigPath.path, "--force", "-o", output], findings: true)
        #expect(message.contains("over the 16 MB limit for text files"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// Trailing whitespace-only lines are not labels, for validate, tflcodegen and the runtime
    /// alike (validate used to accept a count tflcodegen then refused).
    @Test func trailingBlankLinesAreNotLabelsForEveryTool() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        let labels = try Self.write("a\nb\nc\nd\ne\n \n\t\r\n", to: directory, "labels.txt")
        let populated = try CommandRunner.run("tflmeta", ["populate", Self.plain, "--labels", labels, "-o", output])
        #expect(populated.status == 0, "\(populated.stderr)")
        let validated = try CommandRunner.run("tflmeta", ["validate", output])
        #expect(validated.status == 0, "\(validated.output)")
        #expect(LabelLines.parse(try Data(contentsOf: URL(fileURLWithPath: labels))) == ["a", "b", "c", "d", "e"])
        let codegen = CommandRunner.productsDirectory.appending(path: "tflcodegen").path
        if FileManager.default.isExecutableFile(atPath: codegen) {
            let generated = try CommandRunner.run("tflcodegen", [output, "-o", directory.appending(path: "generated").path])
            #expect(generated.status == 0, "\(generated.stderr)")
        }
    }

    @Test func anOversizedSpecIsRefusedBeforeParsing() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appending(path: "spec.json")
        try Data(("{\"name\": \"" + String(repeating: "a", count: MetadataSpec.sizeLimit) + "\"}").utf8).write(to: spec)
        let message = try Self.refusal(["populate", Self.plain, "--metadata", spec.path, "-o", directory.appending(path: "out.tflite").path])
        #expect(message.contains("over the limit of \(MetadataSpec.sizeLimit) bytes for metadata JSON (SPEC) files"), "\(message)")
    }

    // MARK: Terminal escapes (item 10)

    @Test func modelTextIsEscapedOnTheTerminal() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let evilName = "evil\u{1B}]0;pwned\u{07}\nforged.txt"
        let evilFile = try Self.write("x\n", to: directory, evilName)
        let spec = try Self.write(#"""
            {"name": "\u001b]0;window title\u0007", "description": "line one\nforged line\u202e",
             "associated_files": [{"name": "evil\u001b]0;pwned\u0007\nforged.txt"}]}
            """#, to: directory, "spec.json")
        let model = directory.appending(path: "evil.tflite").path
        let populated = try CommandRunner.run("tflmeta", ["populate", Self.plain, "--metadata", spec, "--file", evilFile, "-o", model])
        #expect(populated.status == 0, "\(populated.stderr)")

        let show = try CommandRunner.run("tflmeta", ["show", model])
        #expect(show.status == 0)
        #expect(!show.output.contains("\u{1B}") && !show.output.contains("\u{07}") && !show.output.contains("\u{202E}"), "\(show.output)")
        #expect(show.output.contains("\\u{1b}]0;window title\\u{7}"))
        #expect(!show.output.split(separator: "\n").contains { $0.hasPrefix("forged") })

        let files = try CommandRunner.run("tflmeta", ["files", model])
        #expect(files.status == 0)
        #expect(files.output == "evil\\u{1b}]0;pwned\\u{7}\\u{a}forged.txt\n")
        let long = try CommandRunner.run("tflmeta", ["files", "-l", model])
        #expect(long.output.split(separator: "\n").count == 1)

        // --json stays tflite-support's JSON: escaped by JSON, the strings intact.
        let json = try CommandRunner.run("tflmeta", ["show", "--json", model])
        #expect(!json.output.contains("\u{1B}"))
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(object["name"] as? String == "\u{1B}]0;window title\u{07}")
    }

    // MARK: extract (item 13)

    @Test func extractIsAllOrNothing() throws {
        let model = Fixtures.url("metadata/bert_nl_classifier_sentencepiece/model.tflite").path
        let names = try ModelFile(contentsOf: model).associatedFiles.names
        try #require(names.count >= 2)
        let output = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        // The last file cannot be written (a directory is in the way): nothing is.
        let last = try #require(names.last)
        try FileManager.default.createDirectory(at: output.appending(path: last), withIntermediateDirectories: false)
        _ = try Self.refusal(["extract", model, "-o", output.path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [last])
        // And without the obstacle, everything, and no staging directory left.
        try FileManager.default.removeItem(at: output.appending(path: last))
        #expect(try CommandRunner.run("tflmeta", ["extract", model, "-o", output.path]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == names.sorted())
    }

    @Test func errorsQuoteAtMostAFewHundredCharactersOfNames() throws {
        let model = Fixtures.url("metadata/nl_classifier/model.tflite").path
        let output = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let name = String(repeating: "n", count: 100_000)
        let message = try Self.refusal(["extract", model, "-o", output.path, name])
        #expect(message.count < 600, "\(message.count) characters")
        #expect(message.contains("more characters"))
    }

    // MARK: populate -i (item 9)

    /// A pid that no process has (a child that has exited and been reaped).
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func inPlaceRemovesTemporaryFilesOfKilledWriters() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appending(path: "model.tflite")
        try FileManager.default.copyItem(atPath: Self.plain, toPath: model.path)
        // What a writer SIGKILLed mid-write leaves behind: a full-size hidden temporary file.
        let stale = directory.appending(path: ".model.tflite.tmp-\(try Self.deadPID())-AbC123")
        try Data(repeating: 7, count: 1 << 20).write(to: stale)
        // A live writer's (this test process's parent) is kept.
        let live = directory.appending(path: ".model.tflite.tmp-\(getppid())-XyZ789")
        try Data([1]).write(to: live)
        let result = try CommandRunner.run("tflmeta", ["populate", model.path, "-i", "--name", "edited"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }

    @Test func inPlaceThroughASymbolicLinkEditsTheTarget() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appending(path: "real.tflite")
        try FileManager.default.copyItem(atPath: Self.plain, toPath: target.path)
        let link = directory.appending(path: "link.tflite")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.tflite")
        let result = try CommandRunner.run("tflmeta", ["populate", link.path, "-i", "--name", "through the link"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.tflite")
        #expect(try ModelFile(contentsOf: target.path).metadata()?.name == "through the link")
        let help = try CommandRunner.run("tflmeta", ["populate", "--help"])
        #expect(help.output.contains("symbolic link"))
    }

    @Test func concurrentInPlaceEditsBothLand() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A packed file large enough that each rewrite takes a while, so the edits overlap.
        let blob = directory.appending(path: "blob.bin")
        try Data(repeating: 0x5A, count: 32 << 20).write(to: blob)
        let spec = try Self.write(#"{"name": "shared", "associated_files": [{"name": "blob.bin", "description": "opaque"}]}"#,
                                  to: directory, "spec.json")
        let model = directory.appending(path: "model.tflite").path
        #expect(try CommandRunner.run("tflmeta", ["populate", Self.plain, "--metadata", spec, "--file", blob.path, "-o", model]).status == 0)
        let tool = CommandRunner.productsDirectory.appending(path: "tflmeta")
        for round in 0..<3 {
            var processes: [Process] = []
            for arguments in [["--author", "author \(round)"], ["--version", "version \(round)"], ["--license", "license \(round)"]] {
                let process = Process()
                process.executableURL = tool
                process.arguments = ["populate", model, "-i"] + arguments
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                processes.append(process)
            }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
            let metadata = try #require(try ModelFile(contentsOf: model).metadata())
            #expect(metadata.author == "author \(round)", "round \(round): an edit was lost")
            #expect(metadata.version == "version \(round)", "round \(round): an edit was lost")
            #expect(metadata.license == "license \(round)", "round \(round): an edit was lost")
        }
    }
}
