import Foundation
import TFLiteModel
import TFLiteRuntime

/// Reads `.npy` inputs and checks them against the model's inputs.
enum InputLoader {
    /// Reads `path` (a regular file of at most `limit` bytes: an input larger than the memory
    /// limit could not be used), turning format errors into one-line failures.
    static func read(_ path: String, limit: Int) throws -> NumPyArray {
        do {
            return try NumPyArray(contentsOf: path, role: "--input", limit: limit)
        } catch {
            throw ToolFailure("\(error)")
        }
    }

    /// Checks `array` against an input (`name` for messages), resizing the input when its shape
    /// differs only in dimensions the model declares dynamic (the interpreter's strict resize
    /// decides). Returns whether a resize was requested.
    static func fit(_ array: NumPyArray, path: String, to tensor: RuntimeTensor, name: String,
                    resize: ([Int]) throws(InterpreterError) -> Void) throws -> Bool {
        guard array.type == tensor.type else {
            throw ToolFailure("\(path): input \(name) expects \(tensor.type), the file holds \(array.type)")
        }
        if array.shape == tensor.shape { return false }
        do {
            try resize(array.shape)
        } catch {
            throw ToolFailure("\(path): input \(name) expects shape \(tensor.shape), the file holds \(array.shape)")
        }
        return true
    }
}
