import ArgumentParser
import Foundation
import TFLiteMetadata

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
            // Names are model text: escaped, so a name cannot drive the terminal or forge lines.
            let name = DisplayText.escaped(entry.name)
            text += long ? "\(entry.size)\t\(name)\n" : "\(name)\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
