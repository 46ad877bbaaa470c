import Foundation
import Testing
import TestSupport

/// `tflmeta show`, `files` and `extract` as users run them.
@Suite struct ReadCommandsTests {
    static let cases = Fixtures.metadataCases()

    @Test(arguments: cases)
    func showJSONPrintsTFLiteSupportsJSON(_ directory: URL) throws {
        let result = try CommandRunner.run("tflmeta", ["show", "--json", directory.appending(path: "model.tflite").path])
        let expectedURL = directory.appending(path: "metadata.json")
        if FileManager.default.fileExists(atPath: expectedURL.path) {
            #expect(result.status == 0)
            #expect(result.stdout == (try Data(contentsOf: expectedURL)))
        } else {
            #expect(result.status == 1)
            #expect(result.stderr.contains("no metadata"))
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test(arguments: cases)
    func showSummarizesTheModel(_ directory: URL) throws {
        let result = try CommandRunner.run("tflmeta", ["show", directory.appending(path: "model.tflite").path])
        #expect(result.status == 0)
        #expect(result.output.contains("Subgraph 0"))
        #expect(result.output.contains("Inputs:"))
        #expect(result.output.contains("Operators:"))
        #expect(!result.output.contains("\u{1B}["), "no colours when not on a terminal")
        if FileManager.default.fileExists(atPath: directory.appending(path: "metadata.json").path) {
            #expect(result.output.contains("Metadata"))
        } else {
            #expect(result.output.contains("No metadata"))
        }
    }

    @Test(arguments: cases)
    func filesListsPackedFiles(_ directory: URL) throws {
        let result = try CommandRunner.run("tflmeta", ["files", directory.appending(path: "model.tflite").path])
        #expect(result.status == 0)
        #expect(result.stdout == (try Data(contentsOf: directory.appending(path: "files.txt"))))
    }

    @Test func extractWritesEveryFile() throws {
        let directory = Fixtures.url("metadata/bert_nl_classifier_sentencepiece")
        let output = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CommandRunner.run("tflmeta", ["extract", directory.appending(path: "model.tflite").path, "-o", output.path])
        #expect(result.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        let expected = try FileManager.default.contentsOfDirectory(atPath: directory.appending(path: "files").path).sorted()
        #expect(names == expected)
        for name in names {
            #expect(try Data(contentsOf: output.appending(path: name)) == Data(contentsOf: directory.appending(path: "files/\(name)")))
        }
    }

    @Test func extractNamedFileOnly() throws {
        let model = Fixtures.url("metadata/nl_classifier/model.tflite").path
        let output = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CommandRunner.run("tflmeta", ["extract", model, "-o", output.path, "vocab.txt"])
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["vocab.txt"])
    }

    @Test func extractUnknownNameWritesNothing() throws {
        let model = Fixtures.url("metadata/nl_classifier/model.tflite").path
        let output = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CommandRunner.run("tflmeta", ["extract", model, "-o", output.path, "labels.txt", "nope.txt"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nope.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
    }
}

/// Bad input through the CLI: one line on stderr naming the file, exit code 1, nothing written.
@Suite struct BadInputTests {
    static let good: Data = (try? Data(contentsOf: Fixtures.url("metadata/nl_classifier/model.tflite"))) ?? Data()

    /// Damaged variants of a good model, by name.
    static var variants: [(String, Data)] {
        var result: [(String, Data)] = [
            ("not-a-flatbuffer", Data("just some text, not a model\n".utf8)),
            ("empty", Data()),
        ]
        var wrongIdentifier = good
        wrongIdentifier.replaceSubrange(4..<8, with: Data("XXXX".utf8))
        result.append(("wrong-identifier", wrongIdentifier))
        for fraction in [0.1, 0.3, 0.5, 0.7] {
            result.append(("truncated-\(fraction)", Data(good.prefix(Int(Double(good.count) * fraction)))))
        }
        var outside = good
        outside.replaceSubrange(0..<4, with: [0xf0, 0xff, 0xff, 0x7f])
        result.append(("root-outside", outside))
        var zip = good
        if let central = zip.lastRange(of: Data([0x50, 0x4b, 0x01, 0x02]))?.lowerBound { zip[central + 2] = 0x07 }
        result.append(("damaged-zip", zip))
        return result
    }

    @Test func everyCommandFailsCleanly() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, data) in Self.variants {
            let path = directory.appending(path: "\(name).tflite").path
            try data.write(to: URL(fileURLWithPath: path))
            let output = directory.appending(path: "out-\(name)")
            for arguments in [["show", path], ["show", "--json", path], ["files", path], ["extract", path, "-o", output.path]] {
                let result = try CommandRunner.run("tflmeta", arguments)
                #expect(result.status == 1, "\(name) \(arguments[0]): exit \(result.status)")
                #expect(!result.signaled, "\(name) \(arguments[0]) crashed")
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(name) \(arguments[0]): \(result.stderr)")
                #expect(result.stderr.contains(path), "\(name): the message names the file")
                #expect(!FileManager.default.fileExists(atPath: output.path), "\(name): nothing written")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data, "input untouched")
        }
    }

    @Test func missingFile() throws {
        let result = try CommandRunner.run("tflmeta", ["show", "/nonexistent/model.tflite"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/model.tflite"))
    }
}
