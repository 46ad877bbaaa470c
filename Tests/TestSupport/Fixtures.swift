import Foundation

/// Paths to the committed fixtures and the built command-line tools.
public enum Fixtures {
    /// The package root (two levels above this file's folder).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<relative>`.
    public static func url(_ relative: String) -> URL {
        root.appending(path: "Tests/Fixtures").appending(path: relative)
    }

    /// The metadata fixtures' directories (`Tests/Fixtures/metadata/*`), sorted.
    public static func metadataCases() -> [URL] {
        let base = url("metadata")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.sorted().map { base.appending(path: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.appending(path: "model.tflite").path) }
    }

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "tflite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The reference Python tools (`scripts/venv.sh`: TensorFlow, LiteRT, tflite-support), when this
/// checkout has them. Interop tests run only then; `make interop` creates the venv and runs them.
public enum ReferenceTools {
    /// `.venv/bin/python` when it imports LiteRT and tflite-support.
    public static let python: String? = {
        let path = Fixtures.root.appending(path: ".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", "import ai_edge_litert, tensorflow_lite_support"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? path : nil
    }()

    public static var available: Bool { python != nil }

    /// Runs `scripts/<script>` with the venv's python and `arguments` (plus `environment` over
    /// this process's), and returns its exit status and standard output (standard error is
    /// dropped). Throws when the venv is missing or the process cannot start.
    public static func runScript(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        guard let python else { throw ReferenceToolsMissing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Fixtures.root.appending(path: "scripts/\(script)").path] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

/// The reference venv (`scripts/venv.sh`) is not there.
public struct ReferenceToolsMissing: Error, CustomStringConvertible {
    public var description: String { "the reference venv is missing (scripts/venv.sh)" }
}
