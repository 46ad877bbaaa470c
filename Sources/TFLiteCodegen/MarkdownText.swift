import Foundation
import Mustache

/// Text for the generated documentation (`Name.md`), made only by `MarkdownText.paragraph(_:)`
/// and `MarkdownText.cell(_:)`: model text without control, format or bidi characters, line
/// breaks normalized to `\n` (or to spaces in table cells). Swift code in the documentation is
/// ``SwiftSource``.
package struct MarkdownText: Hashable, Sendable, CustomStringConvertible, MustacheCustomRenderable {
    public let text: String

    fileprivate init(verbatim text: String) { self.text = text }

    public var description: String { text }
    public var renderText: String { text }
    public var isNull: Bool { false }

    /// Free text for a paragraph: every Unicode line break becomes `\n`.
    static func paragraph(_ text: String) -> MarkdownText {
        MarkdownText(verbatim: SwiftSource.docComment(text).map { line in
            line.text == "///" ? "" : String(line.text.dropFirst(4))
        }.joined(separator: "\n"))
    }

    /// One table cell: one line, `|` escaped.
    static func cell(_ text: String) -> MarkdownText {
        let line = SwiftSource.docComment(text).map { $0.text == "///" ? "" : String($0.text.dropFirst(4)) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return MarkdownText(verbatim: line.replacingOccurrences(of: "|", with: "\\|"))
    }
}
