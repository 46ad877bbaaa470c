import TFLiteModel

/// Everything that can go wrong loading or running a model, with a readable one-line message.
public enum InterpreterError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or is not a valid model.
    case invalidModel(ModelError)
    /// The graph is inconsistent: bad indices, shapes, cycles, reads before writes.
    case invalidGraph(String)
    /// An operator the interpreter does not implement (name and operator index).
    case unsupportedOperator(name: String, index: Int, reason: String)
    /// An operator's inputs or options do not fit it.
    case invalidOperator(name: String, index: Int, reason: String)
    /// The planned memory exceeds `Options.memoryLimit`.
    case memoryLimitExceeded(required: Int, limit: Int)
    /// An operator would do more multiply-adds (or read more values) per invoke than
    /// `Options.workLimit` allows.
    case workLimitExceeded(name: String, index: Int, required: Int, limit: Int)
    /// The system could not provide the tensor memory the model needs.
    case allocationFailed(bytes: Int)
    /// `invoke()` before `allocateTensors()`, or a tensor index out of range.
    case invalidState(String)
    /// Data given to an input does not match it.
    case invalidInput(String)
    /// An operator failed while running (e.g. an index out of range in GATHER).
    case runtime(name: String, index: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidModel(let error): error.description
        case .invalidGraph(let reason): "invalid graph: \(reason)"
        case .unsupportedOperator(let name, let index, let reason): "operator \(index) (\(name)) is not supported: \(reason)"
        case .invalidOperator(let name, let index, let reason): "operator \(index) (\(name)): \(reason)"
        case .memoryLimitExceeded(let required, let limit): "the model needs \(required) bytes of tensor memory, over the limit of \(limit)"
        case .workLimitExceeded(let name, let index, let required, let limit):
            "operator \(index) (\(name)) needs \(required == Int.max ? "more than \(Int.max)" : "\(required)") multiply-adds, over the limit of \(limit)"
        case .allocationFailed(let bytes): "cannot allocate \(bytes) bytes of tensor memory"
        case .invalidState(let reason): reason
        case .invalidInput(let reason): "invalid input: \(reason)"
        case .runtime(let name, let index, let reason): "operator \(index) (\(name)) failed: \(reason)"
        }
    }
}
