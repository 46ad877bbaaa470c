import Foundation
import TestSupport

/// Type-checks generated wrappers against the built TFLiteRuntime module (the debug build's
/// `Modules`), many files in one `swiftc -typecheck`.
enum WrapperTypecheck {
    static var available: Bool { APIVersionCheckTests.available }

    /// Type-checks `files` (name → source) as one module; the compiler's status and errors.
    static func typecheck(_ files: [(name: String, source: String)]) throws -> (status: Int32, errors: String, seconds: Double) {
        try typecheck(exactly: files.enumerated().map { (name: "\($0.offset)-\($0.element.name)", source: $0.element.source) })
    }

    /// Type-checks files written under exactly their names (`main.swift` holds top-level code),
    /// with `extraArguments` (e.g. `-warnings-as-errors`).
    static func typecheck(exactly files: [(name: String, source: String)], extraArguments: [String] = []) throws -> (status: Int32, errors: String, seconds: Double) {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for file in files {
            let url = directory.appending(path: file.name)
            try Data(file.source.utf8).write(to: url)
            paths.append(url.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-typecheck", "-swift-version", "6"] + extraArguments + ["-I", APIVersionCheckTests.modules.path,
                             "-Xcc", "-fmodule-map-file=\(APIVersionCheckTests.moduleMap.path)",
                             "-Xcc", "-fmodule-map-file=\(APIVersionCheckTests.kernelsModuleMap.path)",
                             "-Xcc", "-I", "-Xcc", Fixtures.root.appending(path: "Sources/CTFLiteKernels/include").path,
                             "-Xcc", "-I", "-Xcc", Fixtures.root.appending(path: "Sources/CFlatBuffers/include").path]
            + paths
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), Date().timeIntervalSince(start))
    }
}
