import TFLiteModel

/// Label and vocabulary file parsing: `TFLiteModel.LabelLines`, the rule `tflcodegen` and
/// `tflmeta validate` count labels with.
public enum LabelFile {
    /// One label a line (`\n` or `\r\n`); trailing empty or whitespace-only lines are not labels.
    public static func parse(_ text: String) -> [String] {
        LabelLines.parse(text)
    }
}
