import Foundation
import TFLiteModel

/// Writes generated files into a directory, creating it if needed; an existing path that is not
/// a directory is an error. Files are written atomically (`AtomicFile`: a temporary file renamed
/// into place, so a link at the target is replaced, never written through) and only when their
/// text changed, so builds are not invalidated needlessly.
public enum OutputWriter {
    /// Writes `Name.swift` (and `Name.md`) into `directory`.
    ///
    /// - Parameters:
    ///   - files: What ``GeneratorPipeline/run(diagnostics:)`` generated.
    ///   - directory: The output folder, created with its parents when missing.
    ///   - documentation: Whether to write the usage page too (`--no-docs` turns it off).
    /// - Throws: ``CodegenError`` naming the path when the folder cannot be created, is not a
    ///   folder, or a file cannot be written.
    public static func write(_ files: GeneratedFiles, to directory: String, documentation: Bool = true) throws(CodegenError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CodegenError(file: directory, field: "-o", reason: "exists and is not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CodegenError(file: directory, field: "-o", reason: "cannot create the directory: \(error.localizedDescription)")
            }
        }
        var outputs = [(files.swiftFileName, files.swiftSource)]
        if documentation { outputs.append((files.documentationFileName, files.documentation)) }
        for (name, text) in outputs {
            let path = URL(fileURLWithPath: directory).appending(path: name).path
            let bytes = Array(text.utf8)
            let result = bytes.withUnsafeBytes { raw -> ModelError? in
                if isUnchanged(path, raw) { return nil }
                do throws(ModelError) { try AtomicFile.write(raw, to: path) } catch { return error }
                return nil
            }
            if let result { throw CodegenError(file: path, reason: result.reason) }
        }
    }

    /// Copies the model into `directory` (when its bytes differ), for bundling as a resource.
    public static func copyModel(_ path: String, to directory: String) throws(CodegenError) {
        let destination = URL(fileURLWithPath: directory).appending(path: URL(fileURLWithPath: path).lastPathComponent).path
        do {
            let storage = try ByteStorage(mapping: path)
            if isUnchanged(destination, storage.bytes) { return }
            try AtomicFile.write(storage.bytes, to: destination)
        } catch {
            throw CodegenError(file: error.file, reason: "cannot copy the model: \(error.reason)")
        }
    }

    /// Whether regular file `path` already holds exactly `bytes` (never blocks on a FIFO).
    private static func isUnchanged(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let existing = try? ByteStorage(mapping: path) else { return false }
        return existing.bytes.elementsEqual(bytes)
    }
}
