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
