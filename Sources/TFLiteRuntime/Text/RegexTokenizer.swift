/// The metadata's `RegexTokenizerOptions` as tflite-support's NLClassifier applies them: the text
/// (ASCII-lowercased) is split at matches of the delimiter pattern; ids start with `<START>` when
/// the vocabulary has it, unknown words become `<UNKNOWN>`, and the rest is `<PAD>` up to the
/// tensor's length.
@_spi(GeneratedCode) public struct RegexTokenizer: @unchecked Sendable {
    @_spi(GeneratedCode) public let pattern: String
    @_spi(GeneratedCode) public let vocabulary: Vocabulary
    private let regex: Regex<AnyRegexOutput>

    @_spi(GeneratedCode) public init(pattern: String, vocabulary: Vocabulary) throws(ModelWrapperError) {
        self.pattern = pattern
        self.vocabulary = vocabulary
        do { regex = try Regex(pattern) } catch {
            throw .invalidInput(name: "text", reason: "the tokenizer pattern \(pattern) is not a valid regular expression")
        }
    }

    /// The words of `text`.
    @_spi(GeneratedCode) public func tokenize(_ text: String) -> [String] {
        let lowered = String(text.map { $0.isASCII ? Character($0.lowercased()) : $0 })
        var tokens: [String] = []
        var start = lowered.startIndex
        for match in lowered.matches(of: regex) {
            if match.range.lowerBound > start { tokens.append(String(lowered[start..<match.range.lowerBound])) }
            start = match.range.upperBound
        }
        if start < lowered.endIndex { tokens.append(String(lowered[start...])) }
        return tokens
    }

    /// `length` ids for `text`.
    @_spi(GeneratedCode) public func ids(for text: String, length: Int) -> [Int32] {
        let pad = vocabulary["<PAD>"] ?? 0
        let unknown = vocabulary["<UNKNOWN>"] ?? 0
        var ids = [Int32](repeating: pad, count: length)
        var position = 0
        if let start = vocabulary["<START>"], length > 0 {
            ids[0] = start
            position = 1
        }
        for token in tokenize(text) where position < length {
            ids[position] = vocabulary[token] ?? unknown
            position += 1
        }
        return ids
    }

    /// Tokenizes `text` into input `index` (int32 `[1, length]`).
    @_spi(GeneratedCode) public func write(_ text: String, into interpreter: Interpreter, inputAt index: Int, name: String) throws {
        let info = try interpreter.inputTensor(at: index)
        try interpreter.writeValues(ids(for: text, length: info.elementCount), toInputAt: index, name: name)
    }
}
