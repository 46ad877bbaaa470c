import ArgumentParser
import Foundation
import TFLiteMetadata

/// `tflmeta extract M -o DIR [NAME...]`.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Write the model's packed files (all, or those named) into a directory."
    )

    @OptionGroup var input: ModelArgument

    @Option(name: [.short, .customLong("output")], help: "Directory to write into (created if missing).")
    var output: String

    @Argument(help: "Names of the files to extract (default: all).")
    var names: [String] = []

    func run() throws {
        let file = try input.open()
        let files = file.associatedFiles
        let wanted = names.isEmpty ? files.names : names
        // Check everything before writing anything.
        for name in wanted {
            guard files.contents(of: name) != nil else {
                throw Failure("\(file.path): associated files: no packed file named \"\(name)\"")
            }
            guard AssociatedFiles.isSafeName(name) else {
                throw Failure("\(file.path): associated files[\(name)]: not a plain file name; refusing to write it")
            }
        }
        var contents: [(String, Data)] = []
        do {
            for name in wanted { contents.append((name, try files.data(of: name))) }
        } catch {
            throw Failure(error)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure("\(output): exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                throw Failure("\(output): cannot create the directory: \(error.localizedDescription)")
            }
        }
        for (name, data) in contents {
            do {
                try withBytes(of: data) { (raw) throws(ModelError) in
                    try AtomicFile.write(raw, to: (output as NSString).appendingPathComponent(name))
                }
            } catch {
                throw Failure(error)
            }
        }
    }
}
