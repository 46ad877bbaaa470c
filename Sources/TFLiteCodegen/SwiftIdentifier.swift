// The one naming function of tflcodegen and its plugins. Plugins cannot import the package's
// libraries, so Plugins/TFLiteCodegenPlugin and Plugins/TFLiteCodegenCommand compile this same file
// through a symlink: it imports Foundation only and declares nothing public.
import Foundation

/// Swift identifiers from free text: model file names (`mobilenet_v2.tflite` → `MobilenetV2`,
/// `modèle.tflite` → `Modèle`), metadata names (`number of detections` → `numberOfDetections`)
/// and graph tensor names (`output_iris` → `outputIris`).
///
/// An identifier holds only what Swift accepts in identifiers (its grammar's ranges, the N1518
/// ranges the compiler's lexer uses) that is also a letter, a combining mark or a decimal digit:
/// format characters the grammar allows (zero-width joiners, bidi overrides) are never taken, so
/// a generated name cannot hide text.
enum SwiftIdentifier {
    /// Generated identifiers are cut to this many characters (a type name is also a file name).
    static let maximumLength = 64

    /// The longest type name accepted from the user (in UTF-8 bytes).
    static let maximumRequestedLength = 128

    /// Swift keywords (any context), which generated names never take.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "async",
        "actor", "consume", "copy", "discard", "each", "macro", "some", "any", "borrowing", "consuming",
        "Type", "Protocol", "package", "nonisolated", "isolated", "sending", "_",
    ]

    /// Type names a wrapper may not take: the modules whose names it writes (`Swift.String`,
    /// `TFLiteRuntime.Category`, …) or that an app commonly imports beside it, and the types it
    /// declares itself.
    static let reservedTypeNames: Set<String> = [
        "Swift", "Foundation", "TFLiteRuntime", "TFLiteModel", "TFLiteMetadata", "TFLiteCodegen", "_Concurrency",
        "_StringProcessing", "Dispatch", "Darwin", "Glibc", "Musl", "WinSDK", "SwiftShims", "CoreFoundation",
        "FoundationEssentials", "FoundationInternationalization", "ObjectiveC", "CFlatBuffers", "CTFLiteKernels",
        "XCTest", "Testing", "Observation", "Synchronization", "SwiftUI", "UIKit", "AppKit", "Combine",
        "Configuration", "Version", "_GeneratedWithTFLCodegenVersion",
    ]

    // MARK: Characters

    /// Non-ASCII ranges the Swift grammar allows in an identifier (identifier-head).
    private static let headRanges: [ClosedRange<UInt32>] = [
        0xA8...0xA8, 0xAA...0xAA, 0xAD...0xAD, 0xAF...0xAF, 0xB2...0xB5, 0xB7...0xBA, 0xBC...0xBE, 0xC0...0xD6,
        0xD8...0xF6, 0xF8...0xFF, 0x100...0x2FF, 0x370...0x167F, 0x1681...0x180D, 0x180F...0x1DBF, 0x1E00...0x1FFF,
        0x200B...0x200D, 0x202A...0x202E, 0x203F...0x2040, 0x2054...0x2054, 0x2060...0x206F, 0x2070...0x20CF,
        0x2100...0x218F, 0x2460...0x24FF, 0x2776...0x2793, 0x2C00...0x2DFF, 0x2E80...0x2FFF, 0x3004...0x3007,
        0x3021...0x302F, 0x3031...0x303F, 0x3040...0xD7FF, 0xF900...0xFD3D, 0xFD40...0xFDCF, 0xFDF0...0xFE1F,
        0xFE30...0xFE44, 0xFE47...0xFFFD, 0x10000...0x1FFFD, 0x20000...0x2FFFD, 0x30000...0x3FFFD, 0x40000...0x4FFFD,
        0x50000...0x5FFFD, 0x60000...0x6FFFD, 0x70000...0x7FFFD, 0x80000...0x8FFFD, 0x90000...0x9FFFD,
        0xA0000...0xAFFFD, 0xB0000...0xBFFFD, 0xC0000...0xCFFFD, 0xD0000...0xDFFFD, 0xE0000...0xEFFFD,
    ]

    /// Combining ranges allowed after the first character only (identifier-character).
    private static let continuationOnlyRanges: [ClosedRange<UInt32>] = [
        0x300...0x36F, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F,
    ]

    /// Whether `scalar` is a letter, mark or decimal digit (never a format, control or symbol character).
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .decimalNumber: true
        default: false
        }
    }

    /// Whether `scalar` may start a generated identifier (`_` aside): an ASCII letter, or a
    /// non-ASCII letter the Swift grammar allows first.
    static func isHead(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        guard isWordScalar(scalar), !continuationOnlyRanges.contains(where: { $0.contains(scalar.value) }) else { return false }
        return headRanges.contains { $0.contains(scalar.value) }
    }

    /// Whether `scalar` may appear in a generated identifier after its first character (`_` aside).
    static func isContinuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isHead(scalar) || ("0"..."9").contains(scalar) }
        guard isWordScalar(scalar) else { return false }
        return headRanges.contains { $0.contains(scalar.value) } || continuationOnlyRanges.contains { $0.contains(scalar.value) }
    }

    // MARK: Words

    /// The words of `name` (in Unicode NFC): split at anything that is not an identifier
    /// character (spaces, `_`, `-`, `.`, `:`, `/`, symbols…) and at lower→upper case changes
    /// (`outputIris` → `output`, `Iris`).
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        // Every scalar that is not an identifier character separates words (a format character
        // never takes the letter it is attached to with it).
        let separated = String(String.UnicodeScalarView(name.precomposedStringWithCanonicalMapping.unicodeScalars.map { isContinuation($0) ? $0 : " " }))
        for character in separated {
            if character.unicodeScalars.allSatisfy(isContinuation) {
                if character.isUppercase && previousLower && !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(character)
                previousLower = character.isLowercase || character.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `word` with its first character upper-cased (`modèle` → `Modèle`), when that is still one
    /// identifier character.
    private static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        let upper = String(first).uppercased()
        guard upper.unicodeScalars.allSatisfy(isContinuation) else { return word }
        return upper + word.dropFirst()
    }

    /// Cuts `text` to ``maximumLength`` characters.
    private static func cut(_ text: String) -> String { String(text.prefix(maximumLength)) }

    /// lowerCamelCase identifier text (`number of detections` → `numberOfDetections`), or nil
    /// when no letter or digit is left. A leading digit gets `_` (`3d points` → `_3dPoints`).
    static func lowerCamel(_ name: String) -> String? {
        let parts = words(name)
        guard let firstWord = parts.first else { return nil }
        var result = firstWord == firstWord.uppercased() && firstWord.count > 1
            ? firstWord.lowercased() : firstWord.prefix(1).lowercased() + firstWord.dropFirst()
        if !result.unicodeScalars.allSatisfy(isContinuation) { result = firstWord }
        for word in parts.dropFirst() { result += capitalized(word) }
        if let first = result.unicodeScalars.first, !isHead(first) { result = "_" + result }
        return cut(result)
    }

    /// UpperCamelCase identifier text (`Tiny flower classifier` → `TinyFlowerClassifier`), or
    /// nil. A leading digit gets `Model` (`3d` → `Model3d`).
    static func upperCamel(_ name: String) -> String? {
        let parts = words(name)
        guard !parts.isEmpty else { return nil }
        var result = parts.map(capitalized).joined()
        if let first = result.unicodeScalars.first, !isHead(first) { result = "Model" + result }
        return cut(result)
    }

    // MARK: Names

    /// A member name from free text, never a keyword (`self` → `self_`), or nil.
    static func memberName(_ text: String) -> String? {
        guard let name = lowerCamel(text) else { return nil }
        return keywords.contains(name) ? name + "_" : name
    }

    /// A type name from free text, or nil. Keywords and reserved names get `Model` appended
    /// (`Self` → `SelfModel`, `Foundation` → `FoundationModel`).
    static func typeName(_ text: String) -> String? {
        guard let name = upperCamel(text) else { return nil }
        return keywords.contains(name) || reservedTypeNames.contains(name) ? name + "Model" : name
    }

    /// The wrapper's type name for a model file named by its file name (`face_detector.tflite` →
    /// `FaceDetector`, `modèle.tflite` → `Modèle`), `Model` when the name has no letter or digit:
    /// what the build plugin names a model, and what `tflcodegen --name-from-file` does.
    static func typeName(forModelFile fileName: String) -> String {
        let stem = (fileName as NSString).lastPathComponent
        let base = stem.hasSuffix(".tflite") ? String(stem.dropLast(".tflite".count)) : (stem as NSString).deletingPathExtension
        return typeName(base) ?? "Model"
    }

    /// Whether `name`, given by the user (`--class-name`), is an identifier of at most
    /// ``maximumRequestedLength`` bytes of the characters generated names use (`_` included), and
    /// neither a keyword nor a reserved name.
    static func isValidTypeName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isHead(first), name.utf8.count <= maximumRequestedLength,
              name.unicodeScalars.allSatisfy({ $0 == "_" || isContinuation($0) }),
              !keywords.contains(name), !reservedTypeNames.contains(name) else { return false }
        return true
    }
}
