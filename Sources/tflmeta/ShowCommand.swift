import ArgumentParser
import Foundation
import TFLiteMetadata

/// `tflmeta show M [--json]`.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Summarize a model and its metadata, or print the metadata JSON.",
        discussion: "With --json, prints the metadata exactly as tflite-support's MetadataDisplayer.get_metadata_json() does."
    )

    @OptionGroup var input: ModelArgument

    @Flag(help: "Print the metadata as JSON (tflite-support's form).")
    var json = false

    @Flag(help: "Never use colours.")
    var noColor = false

    func run() throws {
        let file = try input.open()
        do {
            if json {
                guard let text = try file.metadataJSON() else {
                    throw ToolFailure("\(file.path): the model has no metadata (no TFLITE_METADATA entry)")
                }
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            let summary = try ModelSummary(file: file)
            let colours = !noColor && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardOutput.write(Data(summary.render(style: colours ? .terminal : .plain).utf8))
        } catch let error as ModelError {
            throw ToolFailure(error)
        }
    }
}
