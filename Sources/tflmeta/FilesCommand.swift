import ArgumentParser
import Foundation

/// `tflmeta files M`: packed file names, one per line.
struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "List the associated files packed in a model, one per line."
    )

    @OptionGroup var input: ModelArgument

    @Flag(name: .shortAndLong, help: "Also print each file's size in bytes.")
    var long = false

    func run() throws {
        let file = try input.open()
        var text = ""
        for entry in file.associatedFiles.entries {
            text += long ? "\(entry.size)\t\(entry.name)\n" : "\(entry.name)\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
