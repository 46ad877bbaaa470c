#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// BERT's tokenizer as the metadata's `BertTokenizerOptions` ask for it: basic tokenization
/// (lowercase, accents stripped, split at whitespace and punctuation) then greedy longest-match
/// WordPiece with `##` continuations; `[CLS] tokens [SEP]`, padded with 0, with the input mask
/// and segment ids BERT classifiers take.
@_spi(GeneratedCode) public struct BertTokenizer: Sendable, Hashable {
    @_spi(GeneratedCode) public let vocabulary: Vocabulary
    @_spi(GeneratedCode) public var maxCharactersPerWord = 100

    @_spi(GeneratedCode) public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// The three input tensors' values.
    @_spi(GeneratedCode) public struct Encoding: Sendable, Hashable {
        @_spi(GeneratedCode) public var ids: [Int32]
        @_spi(GeneratedCode) public var mask: [Int32]
        @_spi(GeneratedCode) public var segmentIds: [Int32]
    }

    /// Basic tokenization: words and punctuation.
    @_spi(GeneratedCode) public func basicTokens(_ text: String) -> [String] {
        let folded = text.lowercased().canonicallyDecomposed
        var tokens: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if scalar.value == 0 || scalar.value == 0xFFFD || (properties.generalCategory == .control && !properties.isWhitespace) { continue }
            if properties.isWhitespace {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else if BertTokenizer.isPunctuation(scalar) || BertTokenizer.isCJK(scalar) {
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(scalar))
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// WordPiece tokens of `text`.
    @_spi(GeneratedCode) public func tokenize(_ text: String) -> [String] {
        var output: [String] = []
        for word in basicTokens(text) {
            let characters = Array(word)
            if characters.count > maxCharactersPerWord {
                output.append("[UNK]")
                continue
            }
            var pieces: [String] = []
            var start = 0
            var bad = false
            while start < characters.count {
                var end = characters.count
                var found: String?
                while start < end {
                    var piece = String(characters[start..<end])
                    if start > 0 { piece = "##" + piece }
                    if vocabulary[piece] != nil {
                        found = piece
                        break
                    }
                    end -= 1
                }
                guard let found else {
                    bad = true
                    break
                }
                pieces.append(found)
                start = end
            }
            output.append(contentsOf: bad ? ["[UNK]"] : pieces)
        }
        return output
    }

    /// `[CLS] tokens [SEP]` ids, mask and segment ids, `length` long.
    @_spi(GeneratedCode) public func encode(_ text: String, length: Int) -> Encoding {
        var tokens = tokenize(text)
        if tokens.count > length - 2 { tokens.removeLast(tokens.count - max(length - 2, 0)) }
        let unknown = vocabulary["[UNK]"] ?? 0
        var ids = [Int32](repeating: 0, count: length)
        var mask = [Int32](repeating: 0, count: length)
        let all = ["[CLS]"] + tokens + ["[SEP]"]
        for (position, token) in all.enumerated() where position < length {
            ids[position] = vocabulary[token] ?? unknown
            mask[position] = 1
        }
        return Encoding(ids: ids, mask: mask, segmentIds: [Int32](repeating: 0, count: length))
    }

    /// Writes the encoding of `text` into the ids, mask and segment-ids inputs.
    @_spi(GeneratedCode) public func write(_ text: String, into interpreter: Interpreter, idsAt ids: Int, maskAt mask: Int, segmentIdsAt segments: Int, name: String) throws {
        let length = try interpreter.inputTensor(at: ids).elementCount
        let encoding = encode(text, length: length)
        try interpreter.writeValues(encoding.ids, toInputAt: ids, name: name)
        try interpreter.writeValues(encoding.mask, toInputAt: mask, name: name)
        try interpreter.writeValues(encoding.segmentIds, toInputAt: segments, name: name)
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
