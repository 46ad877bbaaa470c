/// Re-lexes a generated Swift file and reports anything the escaping layer (``SwiftSource``)
/// should have made impossible: the pipeline runs it on every file made with the embedded
/// templates (a failure is a generator bug, reported instead of writing the file), and the tests
/// and the `FuzzCodegen` fuzzer run it on adversarial models.
///
/// What generated code may contain: lines ending at `\n` only; comments (`//`, `///`) without
/// control, format or line-separator characters; single-line string literals of printable ASCII
/// whose escapes are valid (`\\`, `\"`, `\u{…}`…) and never interpolate (`\(`); outside
/// comments and literals, printable ASCII and the non-ASCII identifier characters of
/// ``SwiftIdentifier`` (letters, marks, digits: never a format character) only, with no `#`
/// (directives, raw strings, multi-line literals) and no `/*`.
package enum GeneratedCodeCheck {
    /// One line split into its code (outside comments and literals), literals and comment.
    public struct Line: Sendable {
        public var number: Int
        /// The code outside comments and string literals (each literal replaced by `""`).
        public var code: String
        /// The literals' contents as written (escapes not decoded).
        public var literals: [String]
        public var comment: String?
    }

    /// The problems found, one a line (`line 12: …`); empty when the file is well formed.
    public static func problems(in source: String) -> [String] {
        var problems: [String] = []
        _ = lex(source, problems: &problems)
        return problems
    }

    /// The file's lines, lexed; problems are appended to `problems`.
    public static func lex(_ source: String, problems: inout [String]) -> [Line] {
        var lines: [Line] = []
        for (offset, text) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = Line(number: number, code: "", literals: [], comment: nil)
            let scalars = Array(text.unicodeScalars)
            var i = 0
            func report(_ message: String) { problems.append("line \(number): \(message)") }
            while i < scalars.count {
                let c = scalars[i]
                if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "/" {
                    var comment = ""
                    for s in scalars[i...] {
                        if SwiftSource.isLineBreak(s) || SwiftSource.isUnprintable(s) {
                            report("character U+\(String(s.value, radix: 16, uppercase: true)) in a comment")
                        }
                        comment.unicodeScalars.append(s)
                    }
                    line.comment = comment
                    break
                }
                if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "*" {
                    report("block comment")
                }
                if c == "\"" {
                    if i + 2 < scalars.count && scalars[i + 1] == "\"" && scalars[i + 2] == "\"" {
                        report("multi-line string literal")
                    }
                    var literal = ""
                    i += 1
                    var closed = false
                    while i < scalars.count {
                        let s = scalars[i]
                        if s == "\"" { closed = true; break }
                        guard s.value >= 0x20 && s.value < 0x7F else {
                            report("character U+\(String(s.value, radix: 16, uppercase: true)) in a string literal")
                            literal.unicodeScalars.append(s)
                            i += 1
                            continue
                        }
                        literal.unicodeScalars.append(s)
                        if s == "\\" {
                            i += 1
                            guard i < scalars.count else { break }
                            let e = scalars[i]
                            literal.unicodeScalars.append(e)
                            switch e {
                            case "\\", "\"", "'", "n", "r", "t", "0":
                                break
                            case "u":
                                var hex = ""
                                var j = i + 1
                                if j < scalars.count && scalars[j] == "{" {
                                    j += 1
                                    while j < scalars.count, scalars[j] != "}", hex.count <= 8 {
                                        hex.unicodeScalars.append(scalars[j])
                                        j += 1
                                    }
                                }
                                if j < scalars.count, scalars[j] == "}", (1...8).contains(hex.count),
                                   let value = UInt32(hex, radix: 16), Unicode.Scalar(value) != nil {
                                    literal += String(String.UnicodeScalarView(scalars[(i + 1)...j]))
                                    i = j
                                } else {
                                    report("invalid \\u escape in a string literal")
                                }
                            case "(":
                                report("interpolation in a string literal")
                            default:
                                report("invalid escape \\\(e) in a string literal")
                            }
                        }
                        i += 1
                    }
                    if !closed { report("unterminated string literal") }
                    line.literals.append(literal)
                    line.code += "\"\""
                    i += 1
                    continue
                }
                if c == "#" { report("# outside comments and string literals") }
                if c.value < 0x20 || c.value == 0x7F || (c.value > 0x7F && !SwiftIdentifier.isContinuation(c)) {
                    report("character U+\(String(c.value, radix: 16, uppercase: true)) outside comments and string literals")
                }
                line.code.unicodeScalars.append(c)
                i += 1
            }
            lines.append(line)
        }
        return lines
    }
}
