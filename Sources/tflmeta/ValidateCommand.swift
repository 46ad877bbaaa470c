import ArgumentParser
import Foundation
import TFLiteMetadata

/// `tflmeta validate M [--json]`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a model's metadata against the model and its packed files.",
        discussion: """
        Prints one finding per line (severity, field path, message). Exits with 0 when there are \
        no errors (warnings and notes allowed), 1 when there are.
        """
    )

    @OptionGroup var input: ModelArgument

    @Flag(help: "Print the findings as JSON.") var json = false

    struct Report: Encodable {
        var file: String
        var errors: Int
        var warnings: Int
        var diagnostics: [Diagnostic]
    }

    func run() throws {
        let file = try input.open()
        let diagnostics: [Diagnostic]
        do {
            if let metadata = try file.metadata() {
                diagnostics = MetadataValidator(file: file).validate(metadata)
            } else {
                diagnostics = [Diagnostic(.error, path: "", "the model has no metadata (no TFLITE_METADATA entry)",
                                          rule: "no-metadata", forceable: false)]
            }
        } catch {
            throw ToolFailure(error)
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(Report(file: file.path, errors: errors, warnings: warnings, diagnostics: diagnostics))
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            var text = diagnostics.map { "\(file.path): \($0)\n" }.joined()
            if diagnostics.isEmpty { text = "\(file.path): no problems found\n" }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if errors > 0 { throw ExitCode(1) }
    }
}
