import ArgumentParser

@main
struct TFLCodegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tflcodegen",
        abstract: "Generates typed Swift wrappers for TensorFlow Lite models from their metadata.",
        discussion: """
            `tflcodegen MODEL.tflite… -o DIR` writes DIR/Name.swift (a wrapper over TFLiteRuntime) and \
            DIR/Name.md (usage) for each model; two models that would write one file are refused. \
            Metadata that does not fit the model gives the generic wrapper with a warning. Templates \
            come from the package's templates/ folder, embedded at build time; --templates DIR overrides them.
            """,
        subcommands: [GenerateCommand.self],
        defaultSubcommand: GenerateCommand.self
    )
}
