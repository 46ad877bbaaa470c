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

    /// Checks `array` against input `index` (`name` for messages), resizing the input when the
    /// model declares a dynamic dimension there. Returns whether a resize was requested.
    static func fit(_ array: NumPyArray, path: String, to tensor: RuntimeTensor, signature: [Int32]?,
                    name: String, resize: ([Int]) throws -> Void) throws -> Bool {
        guard array.type == tensor.type else {
            throw ToolFailure("\(path): input \(DisplayText.quoted(name)) expects \(tensor.type), the file holds \(array.type)")
        }
        if array.shape == tensor.shape { return false }
        let dynamic = signature.map { $0.count == tensor.shape.count } ?? false
        let fits = dynamic && array.shape.count == tensor.shape.count && zip(zip(array.shape, tensor.shape), signature ?? []).allSatisfy {
            $0.0 == $0.1 || $1 == -1
        }
        guard fits else {
            throw ToolFailure("\(path): input \(DisplayText.quoted(name)) expects shape \(tensor.shape), the file holds \(array.shape)")
        }
        try resize(array.shape)
        return true
    }
}
