import TFLiteModel

/// A problem found while generating, kept so the tool can report everything at once; only fatal
/// problems are thrown (as `CodegenError`). Its description escapes model text for terminals.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    public var message: String
    /// What it is about: `file.tflite: output tensor "probability"`.
    public var context: String?

    public init(_ severity: Severity, _ message: String, context: String? = nil) {
        self.severity = severity
        self.message = message
        self.context = context
    }

    public var description: String {
        DisplayText.escaped("\(severity.rawValue): \(context.map { "\($0): " } ?? "")\(message)")
    }
}

/// Collects diagnostics during one generation.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func emit(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func note(_ message: String, context: String? = nil) { emit(.init(.note, message, context: context)) }
    public mutating func warning(_ message: String, context: String? = nil) { emit(.init(.warning, message, context: context)) }
    public mutating func error(_ message: String, context: String? = nil) { emit(.init(.error, message, context: context)) }

    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var hasErrors: Bool { all.contains { $0.severity == .error } }
}
