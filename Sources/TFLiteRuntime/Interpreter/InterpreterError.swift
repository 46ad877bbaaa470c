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
    /// An operator would do more work units (multiply-adds, elements read and written) per
    /// invoke than `Options.workLimit` allows.
    case workLimitExceeded(name: String, index: Int, required: Int, limit: Int)
    /// The operators up to `index` (`name`) together would do more work units per invoke than
    /// `Options.totalWorkLimit` allows.
    case totalWorkLimitExceeded(name: String, index: Int, required: Int, limit: Int)
    /// The system could not provide the tensor memory the model needs.
    case allocationFailed(bytes: Int)
    /// `invoke()` before `allocateTensors()`, or a tensor index out of range.
    case invalidState(String)
    /// Data given to an input does not match it.
    case invalidInput(String)
    /// An operator failed while running (e.g. an index out of range in GATHER).
    case runtime(name: String, index: Int, reason: String)

    public var description: String {
        // Names (and reasons quoting them) come from the model: escaped and cut, never echoed raw.
        switch self {
        case .invalidModel(let error): error.description
        case .invalidGraph(let reason): "invalid graph: \(Self.safe(reason))"
        case .unsupportedOperator(let name, let index, let reason):
            "operator \(index) (\(DisplayText.quoted(name))) is not supported: \(Self.safe(reason))"
        case .invalidOperator(let name, let index, let reason): "operator \(index) (\(DisplayText.quoted(name))): \(Self.safe(reason))"
        case .memoryLimitExceeded(let required, let limit):
            "the model needs \(Self.figure(required, unit: "bytes")) of tensor memory, over the memory limit of \(Self.figure(limit, unit: "bytes"))"
                + " (raise it with Interpreter.Options.memoryLimit or tflrun --memory-limit)"
        case .workLimitExceeded(let name, let index, let required, let limit):
            "operator \(index) (\(DisplayText.quoted(name))) needs \(Self.figure(required, unit: "work units")) per run"
                + " (multiply-adds, plus \(Interpreter.Options.elementWork) per element read or written), over the per-operator work limit of \(limit)"
                + " (raise it with Interpreter.Options.workLimit or tflrun --work-limit)"
        case .totalWorkLimitExceeded(let name, let index, let required, let limit):
            "operators up to \(index) (\(DisplayText.quoted(name))) need \(Self.figure(required, unit: "work units")) per run"
                + " (multiply-adds, plus \(Interpreter.Options.elementWork) per element read or written), over the total work limit of \(limit)"
                + " (raise it with Interpreter.Options.totalWorkLimit or tflrun --total-work-limit)"
        case .allocationFailed(let bytes): "cannot allocate \(bytes) bytes of tensor memory"
        case .invalidState(let reason): Self.safe(reason)
        case .invalidInput(let reason): "invalid input: \(Self.safe(reason))"
        case .runtime(let name, let index, let reason): "operator \(index) (\(DisplayText.quoted(name))) failed: \(Self.safe(reason))"
        }
    }

    /// A reason that may quote model text: escaped, and cut when a quoted name made it huge.
    static func safe(_ reason: String) -> String {
        DisplayText.quoted(reason, limit: 4 * DisplayText.quoteLimit)
    }

    /// `count unit`, or "more than Int.max unit" for a saturated count, with a binary-prefixed
    /// figure for bytes (`8589934592 bytes (8.0 GiB)`).
    static func figure(_ count: Int, unit: String) -> String {
        guard count != Int.max else { return "more than \(Int.max) \(unit)" }
        guard unit == "bytes", count >= 1 << 20 else { return "\(count) \(unit)" }
        let gib = Double(count) / Double(1 << 30)
        let scaled = gib >= 1 ? "\((gib * 10).rounded() / 10) GiB" : "\((Double(count) / Double(1 << 20) * 10).rounded() / 10) MiB"
        return "\(count) bytes (\(scaled))"
    }
}
