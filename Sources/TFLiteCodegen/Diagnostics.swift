import TFLiteMetadata

/// Collects the code generator's findings (`TFLiteMetadata.Diagnostic`, the type the metadata
/// validator reports with) during one generation, so the tool can report everything at once;
/// only fatal problems are thrown (as `CodegenError`). A diagnostic's description escapes model
/// text for terminals.
public struct Diagnostics: Sendable {
    /// Every finding so far, in the order it was made.
    public private(set) var all: [Diagnostic] = []

    /// Creates an empty collection, to pass to ``GeneratorPipeline/run(diagnostics:)``.
    public init() {}

    /// Records a finding.
    public mutating func emit(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    /// Records a note (e.g. a default the generator chose) about `context`, such as
    /// `file.tflite: output tensor "probability"`.
    public mutating func note(_ message: String, context: String? = nil) { emit(.init(.note, message, context: context)) }
    /// Records a warning (the wrapper is generated, with a weaker API or a fallback) about
    /// `context`.
    public mutating func warning(_ message: String, context: String? = nil) { emit(.init(.warning, message, context: context)) }
    /// Records an error about `context`: the pipeline stops before rendering and nothing is
    /// written.
    public mutating func error(_ message: String, context: String? = nil) { emit(.init(.error, message, context: context)) }

    /// The findings of severity error.
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    /// Whether any finding is an error.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }
}
