import ArgumentParser
import TFLiteMetadata
import TFLiteModel

/// The model file argument shared by subcommands.
struct ModelArgument: ParsableArguments {
    @Argument(help: "The .tflite model file.")
    var model: String

    /// Opens and verifies the model, turning errors into one-line failures.
    func open() throws -> ModelFile {
        do {
            return try ModelFile(contentsOf: model)
        } catch {
            throw ToolFailure(error)
        }
    }
}
