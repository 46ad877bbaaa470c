import TFLiteModel

/// A finding: how serious it is, what it is about and what is wrong. The metadata validator
/// (`tflmeta validate`, populate) and the code generator (`tflcodegen`) both report with it.
///
/// Recoverable problems are collected as diagnostics; only fatal problems (an unreadable file)
/// are thrown.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Codable {
    /// How serious a finding is; ordered `note < warning < error`.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        /// Information, e.g. a file kept or a value replaced.
        case note
        /// Something a reader may handle badly; the output is still written.
        case warning
        /// The output would be wrong, so nothing is written: `populate` unless `--force`
        /// downgrades it (see ``Diagnostic/forceable``), `tflcodegen` always.
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// How serious the finding is.
    public var severity: Severity
    /// What it is about, empty when nothing in particular: for the validator the field at fault,
    /// as a metadata path such as `subgraph_metadata[0].output_tensor_metadata[0].associated_files[0]`;
    /// for the code generator a context such as `file.tflite: output tensor "probability"`.
    public var path: String
    /// What is wrong, in one sentence.
    public var message: String
    /// Which check found it (stable identifiers, e.g. `label-count`; `codegen` for the code
    /// generator's findings).
    public var rule: String
    /// Whether `--force` may downgrade this error to a warning (the output stays readable).
    public var forceable: Bool

    /// Creates a validator finding.
    ///
    /// - Parameters:
    ///   - severity: How serious it is.
    ///   - path: The metadata field at fault (empty: the file as a whole).
    ///   - message: What is wrong.
    ///   - rule: Which check found it.
    ///   - forceable: Whether `--force` may downgrade it to a warning.
    public init(_ severity: Severity, path: String, _ message: String, rule: String, forceable: Bool = true) {
        self.severity = severity
        self.path = path
        self.message = message
        self.rule = rule
        self.forceable = forceable
    }

    /// A code generator finding about `context` (`file.tflite: output tensor "probability"`).
    public init(_ severity: Severity, _ message: String, context: String? = nil) {
        self.init(severity, path: context ?? "", message, rule: "codegen", forceable: false)
    }

    /// `path` as an optional: nil when the diagnostic is about nothing in particular.
    public var context: String? { path.isEmpty ? nil : path }

    /// `error: subgraph_metadata[0]...: message`, on one line: model text in the message
    /// (names, descriptions) has its control characters and line breaks escaped.
    public var description: String {
        let message = DisplayText.escaped(self.message)
        return path.isEmpty ? "\(severity.rawValue): \(message)" : "\(severity.rawValue): \(DisplayText.escaped(path)): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// The diagnostics with forceable errors downgraded to warnings.
    public func forced() -> [Diagnostic] {
        map { diagnostic in
            var copy = diagnostic
            if copy.severity == .error, copy.forceable {
                copy.severity = .warning
                copy.message += " (written anyway: --force)"
            }
            return copy
        }
    }
}
