import Foundation
import Testing
import TestSupport
import TFLiteModel
@_spi(GeneratedCode) import TFLiteRuntime

/// Issue #20, `tflrun`: outputs written atomically and never through a link; FIFOs, devices and
/// directories refused without hanging; the limits on the command line and in `--help`; model
/// text in errors cut; argument errors that say what is wrong.
@Suite struct TFLRunHostileFileTests {
    static let addCase = Fixtures.url("conformance/add_bcast4d_int8")

    /// A directory with a RELU model over float32 [1024] (4 KB in and out) and a zero input.
    static func reluCase() throws -> (directory: URL, model: String, input: String) {
        let directory = try Fixtures.temporaryDirectory()
        let model = directory.appending(path: "relu.tflite")
        try HostileModels.reluChain(1, shape: [1024]).write(to: model)
        let input = directory.appending(path: "x.npy")
        try HostileModels.npyZeros(shape: [1024]).write(to: input)
        return (directory, model.path, input.path)
    }

    static func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
    }

    /// Issue #21: `tflrun` fails with the tools' shared `ToolFailure`, which escapes line breaks
    /// and terminal controls in what it quotes (here a file name), so the error stays one line.
    @Test func failureNamingAHostilePathStaysOneLine() throws {
        let (directory, model, input) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appending(path: "out\n\u{1b}]0;pwned\u{7}")
        try Data("a file, not a directory".utf8).write(to: blocker)
        let result = try CommandRunner.run("tflrun", ["run", model, "--input", input, "--output-dir", blocker.path])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1b}"))
        #expect(result.stderr.contains("not a directory"))
    }

    @Test func outputReplacesALinkInsteadOfWritingThroughIt() throws {
        let (directory, model, input) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appending(path: "out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let victim = directory.appending(path: "victim.txt")
        try Data("precious".utf8).write(to: victim)
        try FileManager.default.createSymbolicLink(atPath: out.appending(path: "output_0.npy").path, withDestinationPath: victim.path)
        let result = try CommandRunner.run("tflrun", ["run", model, "--input", input, "--output-dir", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: victim) == Data("precious".utf8), "the link's target was overwritten")
        let written = out.appending(path: "output_0.npy").path
        let attributes = try FileManager.default.attributesOfItem(atPath: written)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try NumPyArray(contentsOf: written).shape == [1024])
        #expect(try Self.leftovers(in: out).isEmpty)
    }

    /// A write that fails half-way (here a 512-byte file size limit, as a full disk would) leaves
    /// the previous output whole and says so in one line naming the file.
    @Test func failedWriteLeavesThePreviousOutputWhole() throws {
        let (directory, model, input) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let previous = directory.appending(path: "output_0.npy")
        let old = Data(repeating: 0x41, count: 300)
        try old.write(to: previous)
        let tflrun = CommandRunner.productsDirectory.appending(path: "tflrun").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // SIGXFSZ ignored: the write past the limit fails with EFBIG instead of killing tflrun.
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"", tflrun,
                             "run", model, "--input", input, "--output-dir", directory.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1 && process.terminationReason == .exit, "\(message)")
        #expect(try Data(contentsOf: previous) == old, "the previous output was changed")
        #expect(!message.contains("\n") && message.contains(previous.path) && message.contains("File too large"), "\(message)")
        #expect(!message.contains("Domain") && !message.contains("NSError"), "\(message)")
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test func outputDirectoryThatIsAFileIsOneLine() throws {
        let (directory, model, input) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.run("tflrun", ["run", model, "--input", input, "--output-dir", input])
        TFLRunTests.expectOneLineFailure(result, mentioning: "\(input): --output-dir: not a directory")
    }

    /// A FIFO with no writer as the model or an input is refused at once (it hung `tflrun ops`).
    @Test func fifosAreRefusedWithoutHanging() throws {
        let (directory, model, input) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appending(path: "fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let out = directory.appending(path: "out").path
        for arguments in [["ops", fifo], ["bench", fifo, "--runs", "1"], ["run", fifo, "--input", input, "--output-dir", out],
                          ["run", model, "--input", fifo, "--output-dir", out]] {
            let clock = ContinuousClock()
            var result: CommandResult?
            let elapsed = try clock.measure { result = try CommandRunner.run("tflrun", arguments, timeout: 20) }
            let finished = try #require(result)
            TFLRunTests.expectOneLineFailure(finished, mentioning: "\(fifo)")
            #expect(finished.stderr.contains("not a regular file (a FIFO)"), "\(arguments): \(finished.stderr)")
            #expect(elapsed < .seconds(15), "\(arguments) took \(elapsed)")
        }
    }

    @Test func devicesAndDirectoriesAsInputsSayWhatTheyAre() throws {
        let (directory, model, _) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appending(path: "out").path
        for (path, kind) in [("/dev/zero", "a character device"), (directory.path, "a directory")] {
            let result = try CommandRunner.run("tflrun", ["run", model, "--input", path, "--output-dir", out], timeout: 20)
            TFLRunTests.expectOneLineFailure(result, mentioning: "\(path): --input: not a regular file (\(kind))")
            #expect(!result.stderr.contains("permission") && !result.stderr.contains("error 256"), "\(result.stderr)")
        }
    }

    @Test func inputsLargerThanTheMemoryLimitAreRefused() throws {
        let (directory, model, input) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.run("tflrun", ["run", model, "--input", input, "--output-dir", directory.path, "--memory-limit", "2K"])
        TFLRunTests.expectOneLineFailure(result, mentioning: "over the limit of 2048 bytes")
        // The same limit lets the model run when it is large enough.
        let fits = try CommandRunner.run("tflrun", ["run", model, "--input", input, "--output-dir", directory.path, "--memory-limit", "1M"])
        #expect(fits.status == 0, "\(fits.stderr)")
    }

    @Test func limitsOnTheCommandLine() throws {
        let (directory, _, _) = try Self.reluCase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The 8 GiB RELU of the report: refused at once under the default memory limit.
        let huge = directory.appending(path: "huge.tflite")
        try HostileModels.reluChain(1, shape: [2048, 1_048_576]).write(to: huge)
        let refused = try CommandRunner.run("tflrun", ["bench", huge.path, "--runs", "1"])
        TFLRunTests.expectOneLineFailure(refused, mentioning: "over the memory limit of \(Interpreter.Options.defaultMemoryLimit)")
        #expect(refused.stderr.contains("--memory-limit"))
        // 1 000 RELUs over 2^26 floats: refused by the per-run work limit, or by a lower one given.
        let many = directory.appending(path: "many.tflite")
        try HostileModels.reluChain(1000, shape: [1 << 26]).write(to: many)
        let total = try CommandRunner.run("tflrun", ["bench", many.path, "--runs", "1"])
        TFLRunTests.expectOneLineFailure(total, mentioning: "total work limit of \(Interpreter.Options.defaultTotalWorkLimit)")
        let lower = try CommandRunner.run("tflrun", ["bench", many.path, "--runs", "1", "--work-limit", "1000"])
        TFLRunTests.expectOneLineFailure(lower, mentioning: "per-operator work limit of 1000 (raise it with Interpreter.Options.workLimit or tflrun --work-limit)")
        let smallTotal = try CommandRunner.run("tflrun", ["bench", many.path, "--runs", "1", "--total-work-limit", "5000"])
        TFLRunTests.expectOneLineFailure(smallTotal, mentioning: "total work limit of 5000")
        // Bad values say what is wrong (`-1` used to read as a missing value).
        for (flag, value, message) in [("--threads", "-1", "--threads must be at least 1, got -1"),
                                       ("--work-limit", "-5", "--work-limit must be positive"),
                                       ("--total-work-limit", "0", "--total-work-limit must be positive"),
                                       ("--runs", "-1", "--runs must be at least 1, got -1"),
                                       ("--memory-limit", "lots", "--memory-limit")] {
            let result = try CommandRunner.run("tflrun", ["bench", huge.path, flag, value])
            #expect(result.status != 0 && result.stderr.contains(message), "\(flag) \(value): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
        }
    }

    @Test func helpShowsTheDefaultLimits() throws {
        for command in ["run", "bench"] {
            let help = try CommandRunner.run("tflrun", [command, "--help"])
            let text = help.output.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
            #expect(text.contains("--memory-limit") && text.contains("a quarter of the physical memory, at most 4G"), "\(text)")
            #expect(text.contains("--work-limit") && text.contains("(default: \(Interpreter.Options.defaultWorkLimit))"), "\(text)")
            #expect(text.contains("--total-work-limit") && text.contains("(default: \(Interpreter.Options.defaultTotalWorkLimit))"), "\(text)")
        }
    }

    /// Model names in tflrun's output and errors are escaped and cut (a 100 KB name is not echoed).
    @Test func hugeModelNamesAreCut() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = String(repeating: "x", count: 100_000) + "\u{1B}[2J"
        let custom = directory.appending(path: "custom.tflite")
        try HostileModels.customOperator(name).write(to: custom)
        let ops = try CommandRunner.run("tflrun", ["ops", custom.path])
        #expect(ops.status == 0 && ops.output.count < 2000 && !ops.output.contains("\u{1B}"), "\(ops.output.prefix(300))")
        let bench = try CommandRunner.run("tflrun", ["bench", custom.path])
        TFLRunTests.expectOneLineFailure(bench, mentioning: "more characters")
        #expect(bench.stderr.count < 1000 && !bench.stderr.contains("\u{1B}"))

        let named = directory.appending(path: "named.tflite")
        try HostileModels.reluChain(1, shape: [4], inputName: name).write(to: named)
        let wrongShape = directory.appending(path: "x.npy")
        try HostileModels.npyZeros(shape: [5]).write(to: wrongShape)
        let run = try CommandRunner.run("tflrun", ["run", named.path, "--input", wrongShape.path, "--output-dir", directory.path])
        TFLRunTests.expectOneLineFailure(run, mentioning: "expects shape [4]")
        #expect(run.stderr.count < 1000 && !run.stderr.contains("\u{1B}"), "\(run.stderr.prefix(300))")
    }
}
