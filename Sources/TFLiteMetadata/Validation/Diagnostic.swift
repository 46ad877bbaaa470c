import TFLiteModel

/// A finding about metadata: how serious it is, which field it is about and what is wrong.
///
/// Recoverable problems are collected as diagnostics; only fatal problems (an unreadable file)
/// are thrown.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Codable {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case note
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public var severity: Severity
    /// The field at fault, as a metadata path such as
    /// `subgraph_metadata[0].output_tensor_metadata[0].associated_files[0]`.
    public var path: String
    public var message: String
    /// Which check found it (stable identifiers, e.g. `label-count`).
    public var rule: String
    /// Whether `--force` may downgrade this error to a warning (the output stays readable).
    public var forceable: Bool

    public init(_ severity: Severity, path: String, _ message: String, rule: String, forceable: Bool = true) {
        self.severity = severity
        self.path = path
        self.message = message
        self.rule = rule
        self.forceable = forceable
    }

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
