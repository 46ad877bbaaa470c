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
            throw Failure(error)
        }
    }
}

/// A one-line error message and exit code 1 (control characters and line breaks from model
/// text escaped, so the message stays one line and cannot drive the terminal).
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ error: ModelError) { description = DisplayText.escaped(error.description) }
    init(_ message: String) { description = DisplayText.escaped(message) }
}
