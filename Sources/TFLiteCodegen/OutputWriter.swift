import Foundation

/// Writes generated files into a directory, creating it if needed; an existing path that is not
/// a directory is an error. Files are written atomically and only when their text changed, so
/// builds are not invalidated needlessly.
public enum OutputWriter {
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
            let url = URL(fileURLWithPath: directory).appending(path: name)
            if let existing = try? String(contentsOf: url, encoding: .utf8), existing == text { continue }
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw CodegenError(file: url.path, reason: "cannot write: \(error.localizedDescription)")
            }
        }
    }

    /// Copies the model into `directory` (when its bytes differ), for bundling as a resource.
    public static func copyModel(_ path: String, to directory: String) throws(CodegenError) {
        let source = URL(fileURLWithPath: path)
        let destination = URL(fileURLWithPath: directory).appending(path: source.lastPathComponent)
        do {
            let data = try Data(contentsOf: source, options: .alwaysMapped)
            if let existing = try? Data(contentsOf: destination, options: .alwaysMapped), existing == data { return }
            try data.write(to: destination, options: .atomic)
        } catch {
            throw CodegenError(file: destination.path, reason: "cannot copy the model: \(error.localizedDescription)")
        }
    }
}
