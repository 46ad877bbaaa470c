import ArgumentParser
import Foundation
import TFLiteMetadata

/// `tflmeta extract M -o DIR [NAME...]`.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Write the model's packed files (all, or those named) into a directory.",
        discussion: """
        All or nothing: the files are checked (names, CRC-32), written into a hidden directory \
        inside the output directory, and moved into place together at the end; on an error no \
        file of the output directory is touched.
        """
    )

    @OptionGroup var input: ModelArgument

    @Option(name: [.short, .customLong("output")], help: "Directory to write into (created if missing).")
    var output: String

    @Argument(help: "Names of the files to extract (default: all).")
    var names: [String] = []

    func run() throws {
        let file = try input.open()
        let files = file.associatedFiles
        var wanted: [String] = []
        for name in names.isEmpty ? files.names : names where !wanted.contains(name) { wanted.append(name) }
        // Check everything before writing anything.
        for name in wanted {
            let shown = DisplayText.quoted(name)
            guard files.contents(of: name) != nil else {
                throw ToolFailure("\(file.path): associated files: no packed file named \"\(shown)\"")
            }
            guard AssociatedFiles.isSafeName(name) else {
                throw ToolFailure("\(file.path): associated files[\(shown)]: not a plain file name; refusing to write it")
            }
        }
        var contents: [(String, UnsafeRawBufferPointer)] = []
        do {
            for name in wanted { contents.append((name, try files.verifiedContents(of: name))) }
        } catch {
            throw ToolFailure(error)
        }
        var isDirectory: ObjCBool = false
        var created = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ToolFailure("\(output): exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                created = true
            } catch {
                throw ToolFailure("\(output): cannot create the directory: \(error.localizedDescription)")
            }
        }
        var finished = false
        defer { if created && !finished { try? FileManager.default.removeItem(atPath: output) } }
        for (name, _) in contents {
            let target = (output as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ToolFailure("\(target): is a directory; refusing to replace it with packed file \"\(DisplayText.quoted(name))\"")
            }
        }

        // Stage every file, then move them all into place.
        let staging = try Self.makeStagingDirectory(in: output)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            for (name, bytes) in contents {
                try AtomicFile.write(bytes, to: (staging as NSString).appendingPathComponent(name))
            }
        } catch {
            throw ToolFailure(error)
        }
        for (name, _) in contents {
            let target = (output as NSString).appendingPathComponent(name)
            guard rename((staging as NSString).appendingPathComponent(name), target) == 0 else {
                throw ToolFailure("\(target): cannot move the extracted file into place: \(String(cString: strerror(errno)))")
            }
        }
        finished = true
    }

    /// A new hidden directory `.tflmeta-extract-XXXXXX` inside `directory`, on the same file
    /// system as the targets, so moving files into place is a rename.
    static func makeStagingDirectory(in directory: String) throws -> String {
        var template = Array("\((directory as NSString).appendingPathComponent(".tflmeta-extract-XXXXXX"))".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw ToolFailure("\(directory): cannot create a staging directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: template.map { $0 })
    }
}
