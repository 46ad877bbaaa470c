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

/// A one-line error message and exit code 1.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ error: ModelError) { description = error.description }
    init(_ message: String) { description = message }
}
