/// A command-line tool's failure: one line, which ArgumentParser prints as `Error: …` before
/// exiting with code 1. Control characters, line breaks and bidi controls (from model text, file
/// names) are escaped, so the message stays one line and cannot drive the terminal. `tflmeta` and
/// `tflrun` throw it; it lives here, the one library every tool imports.
package struct ToolFailure: Error, CustomStringConvertible, Sendable {
    package let description: String

    /// A failure saying `message` (escaped).
    package init(_ message: String) { description = DisplayText.escaped(message) }

    /// A failure saying what `error` says (errors of the libraries name the file and field).
    package init(_ error: some Error & CustomStringConvertible) { description = DisplayText.escaped(error.description) }
}
