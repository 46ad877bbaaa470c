import TFLiteModel

/// Why `populate` wrote nothing.
public enum PopulateError: Error, Equatable, CustomStringConvertible {
    /// A file could not be read or written, or the model cannot be rewritten.
    case file(ModelError)
    /// Validation found errors (listed, with any warnings and notes).
    case invalid(file: String, diagnostics: [Diagnostic])
    /// The flags do not fit together or do not fit the model (e.g. a preset's missing flag).
    case usage(String)

    public var description: String {
        switch self {
        case .file(let error):
            return error.description
        case .usage(let message):
            return message
        case .invalid(let file, let diagnostics):
            let errors = diagnostics.filter { $0.severity == .error }
            let forceable = errors.allSatisfy(\.forceable)
            var text = "\(file): the metadata has \(errors.count) error(s); nothing was written"
            if let first = errors.first { text += " (first: \(DisplayText.escaped(first.path.isEmpty ? "" : first.path + ": "))\(DisplayText.escaped(first.message)))" }
            if forceable { text += "; --force writes it anyway" }
            return text
        }
    }

    /// The findings, for `.invalid`.
    public var diagnostics: [Diagnostic] {
        if case .invalid(_, let diagnostics) = self { return diagnostics }
        return []
    }
}
