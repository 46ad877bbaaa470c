import Foundation

/// Runs one of the package's built executables and captures its output.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var signaled: Bool
    public var output: String { String(decoding: stdout, as: UTF8.self) }
}

public enum CommandRunner {
    /// The directory holding the built products (beside the test bundle).
    public static let productsDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appending(path: "tflmeta").path) { return url }
        }
        return Fixtures.root.appending(path: ".build/debug")
    }()

    /// Runs `tool` with `arguments`; `timeout` seconds before the process is killed.
    public static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> CommandResult {
        let process = Process()
        process.executableURL = productsDirectory.appending(path: tool)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = DispatchTime.now() + timeout
        let group = DispatchGroup()
        nonisolated(unsafe) var stdout = Data()
        nonisolated(unsafe) var stderr = Data()
        group.enter()
        DispatchQueue.global().async { stdout = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { stderr = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: deadline) == .timedOut {
            // SIGTERM, then SIGKILL after a grace period: a tool stuck in a system call (an open
            // of a FIFO) must not hang the test run instead of failing it.
            process.terminate()
            if group.wait(timeout: .now() + 5) == .timedOut, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: stdout,
                             stderr: String(decoding: stderr, as: UTF8.self),
                             signaled: process.terminationReason == .uncaughtSignal)
    }
}
