import TFLiteMetadata

/// Collects the code generator's findings (`TFLiteMetadata.Diagnostic`, the type the metadata
/// validator reports with) during one generation, so the tool can report everything at once;
/// only fatal problems are thrown (as `CodegenError`). A diagnostic's description escapes model
/// text for terminals.
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
