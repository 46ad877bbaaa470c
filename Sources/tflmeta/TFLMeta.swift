import ArgumentParser

/// `tflmeta`: read and write TFLite model metadata.
@main
struct TFLMeta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tflmeta",
        abstract: "Read and write TensorFlow Lite model metadata and associated files.",
        subcommands: [ShowCommand.self, FilesCommand.self, ExtractCommand.self, PopulateCommand.self, ValidateCommand.self],
        defaultSubcommand: ShowCommand.self
    )
}
