import Foundation
import Mustache
import TFLiteModel

/// Swift source text that is safe to paste into a generated file: the only kind of value the
/// templates receive (security issue #20: no model text may ever become code).
///
/// A `SwiftSource` comes from exactly one of:
/// - `SwiftSource.docComment(_:)` / `SwiftSource.lineComment(_:)`: comment lines, split at
///   every Unicode line break, without control, format or bidi characters;
/// - `SwiftSource.stringLiteral(_:)`: a string literal, everything outside printable ASCII
///   escaped as `\u{…}`, never `\(`;
/// - `SwiftSource.memberName(_:fallback:)`, `SwiftSource.typeName(_:)` and
///   `SwiftSource.validatedTypeName(_:)`: identifiers (``SwiftIdentifier``: letters, marks and
///   digits Swift accepts, no format characters) that are neither keywords nor names of the
///   modules and types the wrapper uses;
/// - a string literal written in the generator's own source (`StaticString` segments only),
///   interpolating other `SwiftSource` values and numbers (`Int`, `Float`, written as valid
///   literals). A runtime `String` cannot be interpolated: it does not compile.
package struct SwiftSource: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The source text.
    public let text: String

    fileprivate init(verbatim text: String) { self.text = text }

    public init(stringLiteral value: StaticString) { text = value.description }

    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    public var description: String { text }

    public var isEmpty: Bool { text.isEmpty }

    /// Code pieces joined with a fixed separator.
    public static func joined(_ parts: [SwiftSource], separator: StaticString = ", ") -> SwiftSource {
        SwiftSource(verbatim: parts.map(\.text).joined(separator: separator.description))
    }

    /// `self` followed by a fixed suffix (`imagePreprocessor`): still an identifier when `self` is one.
    public func appending(_ suffix: StaticString) -> SwiftSource { SwiftSource(verbatim: text + suffix.description) }

    /// Only generator literals and safe values can be interpolated.
    public struct Interpolation: StringInterpolationProtocol, Sendable {
        public typealias StringLiteralType = StaticString
        fileprivate var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: StaticString) { text += literal.description }
        public mutating func appendInterpolation(_ code: SwiftSource) { text += code.text }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation(_ value: Int64) { text += String(value) }
        /// A Float as a Swift expression (`0.5`, `1e-05`, `Swift.Float.nan`).
        public mutating func appendInterpolation(_ value: Float) { text += SwiftSource.float(value).text }
        public mutating func appendInterpolation(_ values: [Float]) {
            text += "[" + values.map { SwiftSource.float($0).text }.joined(separator: ", ") + "]"
        }
        public mutating func appendInterpolation(_ values: [Int]) {
            text += "[" + values.map(String.init).joined(separator: ", ") + "]"
        }
    }
}

extension SwiftSource: MustacheCustomRenderable {
    public var renderText: String { text }
    public var isNull: Bool { false }
}

// MARK: - Comments

extension SwiftSource {
    /// `///` lines from free text: one line for each line of it (split at every Unicode line
    /// break: `\n`, `\r`, `\r\n`, VT, FF, U+0085, U+2028, U+2029), trimmed, controls, format and
    /// bidi characters dropped, tabs as spaces. An empty line gives `///`; nil or "" gives none.
    static func docComment(_ text: String?) -> [SwiftSource] {
        commentLines(text, prefix: "///")
    }

    /// `//` lines, like `docComment(_:)`.
    static func lineComment(_ text: String?) -> [SwiftSource] {
        commentLines(text, prefix: "//")
    }

    /// Whether `scalar` ends a line for the Swift lexer or an editor.
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Characters that may not appear in a generated comment: controls (C0, DEL, C1), format
    /// characters (bidi overrides and isolates, zero-width marks, BOM…), surrogates and
    /// private-use or unassigned code points are kept out as well.
    static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .lineSeparator, .paragraphSeparator, .unassigned: true
        default: false
        }
    }

    private static func commentLines(_ text: String?, prefix: String) -> [SwiftSource] {
        guard let text, !text.isEmpty else { return [] }
        var lines: [String] = []
        var current = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            if isLineBreak(scalar) {
                // \r\n is one break.
                if !(scalar == "\n" && previousCR) { lines.append(current); current = "" }
                previousCR = scalar == "\r"
                continue
            }
            previousCR = false
            if scalar == "\t" { current.unicodeScalars.append(" "); continue }
            if isUnprintable(scalar) { continue }
            current.unicodeScalars.append(scalar)
        }
        lines.append(current)
        return lines.map { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return SwiftSource(verbatim: trimmed.isEmpty ? prefix : prefix + " " + trimmed)
        }
    }
}

// MARK: - String literals

extension SwiftSource {
    /// A string literal: `"a\"b\u{A}"`. Printable ASCII stays as is, except `\` and `"`, which
    /// are escaped; everything else (controls, DEL, line breaks, non-ASCII) is written `\u{…}`. A
    /// `(` after an escaped backslash is written `\u{28}`, so the text never contains `\(`.
    static func stringLiteral(_ value: String) -> SwiftSource {
        var out = "\""
        var afterBackslash = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\":
                out += "\\\\"
                afterBackslash = true
                continue
            case "\"":
                out += "\\\""
            case "(" where afterBackslash:
                out += "\\u{28}"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                }
            }
            afterBackslash = false
        }
        return SwiftSource(verbatim: out + "\"")
    }

    /// A string literal or `nil`.
    static func optionalStringLiteral(_ value: String?) -> SwiftSource {
        value.map(stringLiteral) ?? "nil"
    }

    /// A Float as a Swift expression of type Float: the shortest round-trip literal, or
    /// `Swift.Float.nan` / `Swift.Float.infinity` / `-Swift.Float.infinity`.
    static func float(_ value: Float) -> SwiftSource {
        if value.isNaN { return "Swift.Float.nan" }
        if value.isInfinite { return value < 0 ? "-Swift.Float.infinity" : "Swift.Float.infinity" }
        return SwiftSource(verbatim: "\(value)")
    }
}

// MARK: - Identifiers

extension SwiftSource {
    /// Swift keywords (any context), which generated names never take.
    static var keywords: Set<String> { SwiftIdentifier.keywords }

    /// Type names the wrapper may not take (see ``SwiftIdentifier/reservedTypeNames``).
    static var reservedTypeNames: Set<String> { SwiftIdentifier.reservedTypeNames }

    /// Member names the generated code uses itself, which a tensor may not take.
    static let reservedMemberNames: Set<String> = [
        "input", "inputs", "interpreter", "configuration", "runner", "options", "url", "predict",
        "prediction", "predictions",
    ]

    /// A lowerCamelCase member name from free text (`number of detections` → `numberOfDetections`),
    /// or `fallback` when no letters or digits are left. Never a keyword (`self` → `self_`).
    static func memberName(_ text: String?, fallback: StaticString) -> SwiftSource {
        guard let name = SwiftIdentifier.memberName(text ?? "") else { return SwiftSource(stringLiteral: fallback) }
        return SwiftSource(verbatim: name)
    }

    /// A member name from a graph tensor name, for tensors without metadata: `output_iris` →
    /// `outputIris`, `serving_default_image:0` → `image`; `fallback` for names the converter
    /// or Keras make up (`StatefulPartitionedCall:0`, `Identity_1`, `input_1`, paths such as `model/dense/BiasAdd`)
    /// and for the generator's own names (`input`).
    static func memberName(graphTensorName name: String, fallback: StaticString) -> SwiftSource {
        var base = Substring(name)
        if let colon = base.lastIndex(of: ":"), !base[base.index(after: colon)...].isEmpty,
           base[base.index(after: colon)...].allSatisfy(\.isASCII), base[base.index(after: colon)...].allSatisfy(\.isNumber) {
            base = base[..<colon]
        }
        if base.hasPrefix("serving_default_") { base = base.dropFirst("serving_default_".count) }
        var stem = base
        if let underscore = stem.lastIndex(of: "_"), !stem[stem.index(after: underscore)...].isEmpty,
           stem[stem.index(after: underscore)...].allSatisfy({ $0.isASCII && $0.isNumber }) {
            stem = stem[..<underscore]
        }
        let madeUp: Set<Substring> = ["StatefulPartitionedCall", "PartitionedCall", "Identity", "input", "output"]
        guard !madeUp.contains(stem), !base.contains("/"), !base.contains(";"),
              let member = SwiftIdentifier.memberName(String(base)), !reservedMemberNames.contains(member) else {
            return SwiftSource(stringLiteral: fallback)
        }
        return SwiftSource(verbatim: member)
    }

    /// An UpperCamelCase type name from free text (`Tiny flower classifier` →
    /// `TinyFlowerClassifier`), or nil. Keywords and reserved names get `Model` appended
    /// (`Self` → `SelfModel`, `Foundation` → `FoundationModel`).
    static func typeName(_ text: String?) -> SwiftSource? {
        SwiftIdentifier.typeName(text ?? "").map(SwiftSource.init(verbatim:))
    }

    /// The type name for a model file, from its file name alone (``SwiftIdentifier/typeName(forModelFile:)``).
    static func typeName(forModelFile fileName: String) -> SwiftSource {
        SwiftSource(verbatim: SwiftIdentifier.typeName(forModelFile: fileName))
    }

    /// A type name given by the user (`--class-name`), or nil when it is not an identifier
    /// (``SwiftIdentifier/isValidTypeName(_:)``).
    static func validatedTypeName(_ requested: String) -> SwiftSource? {
        SwiftIdentifier.isValidTypeName(requested) ? SwiftSource(verbatim: requested) : nil
    }

    /// Makes member names unique in order: later duplicates and reserved names get 2, 3, ….
    static func uniquedMemberNames(_ names: [SwiftSource]) -> [SwiftSource] {
        var used = reservedMemberNames
        var result: [SwiftSource] = []
        for name in names {
            var candidate = name.text
            var n = 2
            while used.contains(candidate) {
                candidate = "\(name.text)\(n)"
                n += 1
            }
            used.insert(candidate)
            result.append(SwiftSource(verbatim: candidate))
        }
        return result
    }

    /// The words of `name` (``SwiftIdentifier/words(_:)``).
    static func words(_ name: String) -> [String] { SwiftIdentifier.words(name) }

    /// Generated identifiers are cut to this many characters (a type name is also a file name).
    static var maximumIdentifierLength: Int { SwiftIdentifier.maximumLength }

    /// lowerCamelCase identifier text, or nil when nothing usable is left.
    static func lowerCamel(_ name: String) -> String? { SwiftIdentifier.lowerCamel(name) }

    /// UpperCamelCase identifier text, or nil.
    static func upperCamel(_ name: String) -> String? { SwiftIdentifier.upperCamel(name) }
}

// MARK: - Types

extension SwiftSource {
    /// The fully qualified Swift element type of a tensor type, or nil when generated code
    /// cannot hold it.
    static func scalarType(_ type: TensorType) -> SwiftSource? {
        switch type {
        case .float32: "Swift.Float"
        case .float64: "Swift.Double"
        case .int8: "Swift.Int8"
        case .uint8: "Swift.UInt8"
        case .int16: "Swift.Int16"
        case .int32: "Swift.Int32"
        case .int64: "Swift.Int64"
        case .bool: "Swift.Bool"
        default: nil
        }
    }
}
