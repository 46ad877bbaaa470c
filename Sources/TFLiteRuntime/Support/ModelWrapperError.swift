#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Errors raised by generated model wrappers and the runtime helpers they call, each naming the
/// tensor, file or argument at fault.
public enum ModelWrapperError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The model file or bundled resource could not be loaded.
    case cannotLoadModel(String)
    /// A file the metadata names is not packed in the model.
    case missingPackedFile(name: String, model: String)
    /// A packed file does not match what the wrapper was generated from.
    case invalidPackedFile(name: String, reason: String)
    /// An argument does not fit the tensor it feeds.
    case invalidInput(name: String, reason: String)
    /// Pixels that do not match the image size or format.
    case invalidImage(String)
    /// An output does not have the shape or type the wrapper expects.
    case invalidOutput(name: String, reason: String)
    /// The interpreter failed.
    case interpreter(InterpreterError)

    /// The message: what failed, naming the tensor, file or argument.
    public var description: String {
        switch self {
        case .cannotLoadModel(let reason): "cannot load the model: \(InterpreterError.safe(reason))"
        case .missingPackedFile(let name, let model): "\(model): no packed file named \"\(DisplayText.quoted(name))\""
        case .invalidPackedFile(let name, let reason): "packed file \(DisplayText.quoted(name)): \(InterpreterError.safe(reason))"
        case .invalidInput(let name, let reason): "input \(DisplayText.quoted(name)): \(InterpreterError.safe(reason))"
        case .invalidImage(let reason): "invalid image: \(InterpreterError.safe(reason))"
        case .invalidOutput(let name, let reason): "output \(DisplayText.quoted(name)): \(InterpreterError.safe(reason))"
        case .interpreter(let error): error.description
        }
    }

    /// The message, for `localizedDescription` and alerts (the same text as `description`).
    public var errorDescription: String? { description }
}

extension InterpreterError: LocalizedError {
    /// The message, for `localizedDescription` and alerts (the same text as `description`).
    public var errorDescription: String? { description }
}
