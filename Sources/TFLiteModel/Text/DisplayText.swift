/// Model text made safe to print: on a terminal, in an error message, in a log line. A model's
/// strings are untrusted: they may carry terminal escapes (`ESC]0;…` sets a window title), line
/// breaks that forge extra output lines, bidi overrides that reorder what is shown, or megabytes.
package enum DisplayText {
    /// The most characters of model text an error message quotes.
    package static let quoteLimit = 200

    /// Whether `scalar` must not reach a terminal raw: C0 and C1 controls, DEL, every Unicode line
    /// or paragraph break, and the bidi embedding, override and isolate controls.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x200E, 0x200F, 0x061C: true  // directional marks
        case 0x202A...0x202E, 0x2066...0x2069: true  // bidi embeddings, overrides, isolates
        default: false
        }
    }

    /// `text` with every unsafe scalar written as `\u{…}` (tabs kept when `keepTabs`).
    package static func escaped(_ text: String, keepTabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar), !(keepTabs && scalar == "\t") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` escaped and cut to `limit` characters, with how much was left out:
    /// `abc… (1 234 more characters)`. For quoting model text in errors.
    package static func quoted(_ text: String, limit: Int = quoteLimit) -> String {
        let safe = escaped(text)
        guard safe.count > limit else { return safe }
        return String(safe.prefix(limit)) + "… (\(safe.count - limit) more characters)"
    }
}
