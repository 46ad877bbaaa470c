import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `tflmeta populate` replaces its output atomically: a process killed at any moment, or a
/// write that fails half-way (file size limit, standing in for a full disk), leaves the target
/// as the old file or the complete new one, never a torn one.
@Suite(.serialized) struct PopulateAtomicityTests {
    /// A model with a large packed file, so that writing takes long enough to be interrupted.
    struct Setup {
        var directory: URL
        var model: String
        var spec: String
        var blob: String
        var output: String
        var oldBytes: Data
        var populateArguments: [String] { ["populate", model, "--metadata", spec, "--file", blob, "-o", output] }
    }

    static func setUp(blobBytes: Int) throws -> Setup {
        let directory = try Fixtures.temporaryDirectory()
        let model = Fixtures.url("metadata/plain_float/model.tflite").path
        let spec = directory.appending(path: "spec.json")
        try Data(#"{"name": "blob carrier", "associated_files": [{"name": "blob.bin", "description": "opaque"}]}"#.utf8).write(to: spec)
        var generator = SystemRandomNumberGenerator()
        var blob = [UInt8](repeating: 0, count: blobBytes)
        for index in stride(from: 0, to: blob.count, by: 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { word in
                for offset in 0..<min(8, blob.count - index) { blob[index + offset] = word[offset] }
            }
        }
        let blobURL = directory.appending(path: "blob.bin")
        try Data(blob).write(to: blobURL)
        let output = directory.appending(path: "out.tflite")
        let oldBytes = Data("the previous file, which must survive\n".utf8)
        try oldBytes.write(to: output)
        return Setup(directory: directory, model: model, spec: spec.path, blob: blobURL.path,
                     output: output.path, oldBytes: oldBytes)
    }

    /// Starts `tflmeta` with `arguments` and returns the running process.
    static func start(_ arguments: [String], shell: String? = nil) throws -> Process {
        let process = Process()
        let tool = CommandRunner.productsDirectory.appending(path: "tflmeta").path
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", tool] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        return process
    }

    @Test func sigkillLeavesTheOldFileOrTheNewOne() throws {
        let setup = try Self.setUp(blobBytes: 48 << 20)
        defer { try? FileManager.default.removeItem(at: setup.directory) }

        // The complete new file, and how long writing it takes.
        let reference = setup.directory.appending(path: "reference.tflite").path
        var arguments = setup.populateArguments
        arguments[arguments.count - 1] = reference
        let started = Date()
        let complete = try Self.start(arguments)
        complete.waitUntilExit()
        let duration = Date().timeIntervalSince(started)
        #expect(complete.terminationStatus == 0)
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: reference))
        #expect(newBytes.count > 48 << 20)

        var killedMidWrite = 0
        var sawNew = false
        let attempts = 16
        for attempt in 0..<attempts {
            try setup.oldBytes.write(to: URL(fileURLWithPath: setup.output))
            let process = try Self.start(setup.populateArguments)
            // Spread the kills over the whole run, from right after exec to the end; the last
            // attempt lets populate finish first (run times vary on a loaded machine).
            let delay = duration * Double(attempt) / Double(attempts - 1)
            if attempt == attempts - 1 {
                process.waitUntilExit()
            } else {
                usleep(UInt32(delay * 1_000_000))
            }
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = try Data(contentsOf: URL(fileURLWithPath: setup.output))
            #expect(after == setup.oldBytes || after == newBytes,
                    "attempt \(attempt) (kill after \(delay) s): target is \(after.count) bytes, neither old nor new")
            if wasRunning && process.terminationReason == .uncaughtSignal { killedMidWrite += 1 }
            if after == newBytes { sawNew = true }
            // Whatever the kill left behind is only ever a hidden temporary file beside the target.
            for name in try FileManager.default.contentsOfDirectory(atPath: setup.directory.path)
            where !["spec.json", "blob.bin", "out.tflite", "reference.tflite"].contains(name) {
                #expect(name.hasPrefix(".out.tflite.tmp-"), "unexpected file \(name)")
            }
        }
        #expect(killedMidWrite > 0, "no kill landed while populate was running")
        #expect(sawNew, "the last attempt, after populate finished, leaves the new file")
        // The last attempt ran to the end: it removed the temporary files the killed writers left.
        let left = try FileManager.default.contentsOfDirectory(atPath: setup.directory.path).filter { $0.hasPrefix(".out.tflite.tmp-") }
        #expect(left.isEmpty, "temporary files of killed writers left behind: \(left)")
    }

    @Test func failedWriteLeavesTargetAndNoTemporaryFile() throws {
        let setup = try Self.setUp(blobBytes: 4 << 20)
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        // A 1 MB file size limit makes write(2) fail with EFBIG part-way, like a full disk does
        // with ENOSPC (SIGXFSZ ignored so the failure reaches the tool as an error).
        let process = try Self.start(setup.populateArguments, shell: "trap '' XFSZ; ulimit -f 2048")
        let stderr = (process.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        process.waitUntilExit()
        let message = String(decoding: stderr, as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(process.terminationReason == .exit)
        let lines = message.split(separator: "\n").filter { !$0.hasPrefix("warning:") }
        #expect(lines.count == 1, "one-line error, got: \(message)")
        #expect(message.contains("out.tflite"), "the error names the file: \(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: setup.output)) == setup.oldBytes)
        let left = try FileManager.default.contentsOfDirectory(atPath: setup.directory.path).sorted()
        #expect(left == ["blob.bin", "out.tflite", "spec.json"])
    }

    @Test func unwritableDirectoryIsAOneLineError() throws {
        let setup = try Self.setUp(blobBytes: 1024)
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        var arguments = setup.populateArguments
        arguments[arguments.count - 1] = setup.directory.appending(path: "missing/dir/out.tflite").path
        let result = try CommandRunner.run("tflmeta", arguments)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning:") }.count == 1)
        #expect(result.stderr.contains("missing/dir"))
    }

    /// A read-only directory: mode 0555 when not root; as root (CI), whom modes do not stop,
    /// the immutable attribute (`chattr +i`) where the file system has it.
    @Test(.enabled(if: PopulateAtomicityTests.canMakeReadOnlyDirectory, "no way to make a read-only directory here"))
    func readOnlyDirectoryIsAOneLineError() throws {
        let setup = try Self.setUp(blobBytes: 1024)
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        var arguments = setup.populateArguments
        let locked = setup.directory.appending(path: "locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
        try #require(Self.makeReadOnly(locked, true))
        defer { _ = Self.makeReadOnly(locked, false) }
        arguments[arguments.count - 1] = locked.appending(path: "out.tflite").path
        let denied = try CommandRunner.run("tflmeta", arguments)
        #expect(denied.status == 1)
        #expect(denied.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning:") }.count == 1, "\(denied.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked.path).isEmpty)
    }

    /// A target file that cannot be replaced (immutable, as root) leaves it and no temporary file.
    @Test(.enabled(if: getuid() == 0 && PopulateAtomicityTests.canMakeImmutable, "needs root and chattr"))
    func unreplaceableTargetIsAnErrorAndLeavesNoTemporaryFile() throws {
        let setup = try Self.setUp(blobBytes: 1024)
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let target = URL(fileURLWithPath: setup.output)
        try #require(Self.chattr("+i", target))
        defer { _ = Self.chattr("-i", target) }
        let result = try CommandRunner.run("tflmeta", setup.populateArguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains("out.tflite"), "\(result.stderr)")
        #expect(try Data(contentsOf: target) == setup.oldBytes)
        let left = try FileManager.default.contentsOfDirectory(atPath: setup.directory.path).sorted()
        #expect(left == ["blob.bin", "out.tflite", "spec.json"])
    }

    /// Whether `makeReadOnly` works here (tried on a scratch directory).
    static let canMakeReadOnlyDirectory: Bool = {
        guard let scratch = try? Fixtures.temporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard makeReadOnly(scratch, true) else { return false }
        return makeReadOnly(scratch, false)
    }()

    /// Whether `chattr +i` works here (tried on a scratch file).
    static let canMakeImmutable: Bool = {
        guard let scratch = try? Fixtures.temporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appending(path: "probe")
        guard FileManager.default.createFile(atPath: file.path, contents: Data()), chattr("+i", file) else { return false }
        return chattr("-i", file)
    }()

    /// Makes `directory` read-only (or writable again); false when this process cannot.
    static func makeReadOnly(_ directory: URL, _ readOnly: Bool) -> Bool {
        if getuid() != 0 { return chmod(directory.path, readOnly ? 0o555 : 0o755) == 0 }
        return chattr(readOnly ? "+i" : "-i", directory)
    }

    /// Runs `chattr FLAG PATH`; whether it succeeded.
    static func chattr(_ flag: String, _ url: URL) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chattr", flag, url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
