import ArgumentParser
import TFLiteModel
import TFLiteRuntime

/// The model argument shared by the subcommands.
struct ModelOptions: ParsableArguments {
    @Argument(help: "The .tflite model file.")
    var model: String

    /// Loads (maps and verifies) the model, naming the file in any error.
    func load() throws -> Model {
        do {
            return try Model(contentsOf: model)
        } catch {
            throw ToolFailure("\(error)")  // model errors already name the file
        }
    }

    /// Turns an interpreter error into a one-line failure naming the model.
    func failure(_ error: InterpreterError) -> ToolFailure {
        if case .invalidModel = error { return ToolFailure("\(error)") }
        return ToolFailure("\(model): \(error)")
    }
}
