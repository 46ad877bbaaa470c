/// The lines of a label file (`TENSOR_AXIS_LABELS`, `TENSOR_VALUE_LABELS`) or of a vocabulary:
/// the one reading the runtime, the code generator and the validator share, so that they count
/// the same labels.
///
/// Lines end at `\n` (a `\r` before it is dropped: `\r\n` files read the same). Lines that are
/// empty or whitespace-only *at the end* of the file are not labels (a final newline, or a few
/// blank lines left by an editor); everywhere else every line is one label, kept as written.
package enum LabelLines {
    /// The labels of `text`.
    package static func parse(_ text: String) -> [String] {
        var lines = self.lines(text)
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        return lines
    }

    /// The labels of UTF-8 `bytes` (invalid sequences read as U+FFFD).
    package static func parse(_ bytes: some Collection<UInt8>) -> [String] {
        parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Every line of `text` as written, blank ones included; only the empty piece after a final
    /// newline is not a line.
    package static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            return String(decoding: trimmed, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Whether `line` is empty or only whitespace (no label).
    package static func isBlank(_ line: some StringProtocol) -> Bool {
        line.allSatisfy(\.isWhitespace)
    }
}
