import TFLiteMetadata
import TFLiteModel

/// A fatal problem: nothing is written. The message names the file and the tensor or field.
/// Its description escapes model text (controls, line breaks, bidi characters) for terminals.
public struct CodegenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The model or template file at fault.
    public var file: String
    /// The tensor, field or option, e.g. `output tensor "probability" (StatefulPartitionedCall:0)`.
    public var field: String?
    /// What is wrong, in one sentence (unescaped; ``description`` escapes it).
    public var reason: String
    /// Several problems, each already escaped, one a line.
    private var escapedLines: [String]?

    /// Creates an error about `file`.
    ///
    /// - Parameters:
    ///   - file: The model, template or output path at fault.
    ///   - field: The tensor, field or option, when one is at fault.
    ///   - reason: What is wrong.
    public init(file: String, field: String? = nil, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    /// Errors collected as diagnostics, turned into one fatal error about `file` (named once:
    /// a diagnostic's context that starts with the file name loses it).
    init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.field = nil
        let lines = diagnostics.map { d in
            var context = d.context
            if context == file {
                context = nil
            } else if let full = context, full.hasPrefix(file + ": ") {
                context = String(full.dropFirst(file.count + 2))
            }
            return context.map { "\($0): \(d.message)" } ?? d.message
        }
        self.reason = lines.joined(separator: "\n  ")
        self.escapedLines = lines.map { DisplayText.escaped($0) }
    }

    public var description: String {
        let reasonText = escapedLines?.joined(separator: "\n  ") ?? DisplayText.escaped(reason)
        return (file.isEmpty ? "" : "\(DisplayText.escaped(file)): ") + (field.map { "\(DisplayText.escaped($0)): " } ?? "") + reasonText
    }
}
