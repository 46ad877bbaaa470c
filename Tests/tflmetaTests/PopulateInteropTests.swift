import Foundation
import Testing
import TestSupport

/// What `tflmeta populate` writes, read by the real tflite-support and run by the real LiteRT
/// (`scripts/interop/populate_check.py`): `MetadataDisplayer` returns our JSON and files, and
/// LiteRT gives the same tensors, signatures and bit-identical outputs as on the input model.
/// Runs when the reference venv is present (`make interop`).
@Suite(.enabled(if: ReferenceTools.available, "needs the reference venv (make interop)"))
struct PopulateInteropTests {
    @Test func tfliteSupportAndLiteRTReadWhatPopulateWrites() throws {
        let output = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        var pairs: [String] = []
        // Every tflite-support fixture re-populated from its own JSON and files.
        for directory in Fixtures.metadataCases()
        where FileManager.default.fileExists(atPath: directory.appending(path: "metadata.json").path) {
            let model = directory.appending(path: "model.tflite").path
            let target = output.appending(path: directory.lastPathComponent + ".tflite").path
            var arguments = ["populate", model, "--metadata", directory.appending(path: "metadata.json").path]
            let files = directory.appending(path: "files")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: files.path).sorted()) ?? [] {
                arguments += ["--file", files.appending(path: name).path]
            }
            let result = try CommandRunner.run("tflmeta", arguments + ["-o", target])
            #expect(result.status == 0, "\(directory.lastPathComponent): \(result.stderr)")
            pairs += [model, target]
        }
        // Layouts tflite-support's writers do not produce: offset buffers, large custom options,
        // external buffers, several signatures.
        for name in ["offset_buffers", "large_custom_options", "external_buffers", "two_signatures"] {
            let model = Fixtures.root.appending(path: "scripts/populate_fixtures/\(name).tflite").path
            let target = output.appending(path: "layout_\(name).tflite").path
            let result = try CommandRunner.run("tflmeta", ["populate", model, "--name", "interop \(name)", "-o", target])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            pairs += [model, target]
        }
        let (status, report) = try ReferenceTools.runScript("interop/populate_check.py", pairs,
                                                            environment: ["TFLMETA": CommandRunner.productsDirectory.appending(path: "tflmeta").path])
        #expect(status == 0, "\(report)")
        #expect(report.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == pairs.count / 2, "\(report)")
    }
}
