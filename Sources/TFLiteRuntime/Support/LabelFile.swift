import TFLiteModel

/// Label and vocabulary file parsing: `TFLiteModel.LabelLines`, the rule `tflcodegen` and
/// `tflmeta validate` count labels with.
package enum LabelFile {
    /// One label a line (`\n` or `\r\n`); trailing empty or whitespace-only lines are not labels.
    package static func parse(_ text: String) -> [String] {
        LabelLines.parse(text)
    }
}
