/// A token → id table read from a `VOCABULARY` file: either one token a line (id = line number,
/// as BERT's vocab.txt) or `token id` a line (as the regex tokenizer's vocab.txt).
@_spi(GeneratedCode) public struct Vocabulary: Sendable, Hashable {
    @_spi(GeneratedCode) public var ids: [String: Int32]

    @_spi(GeneratedCode) public init(ids: [String: Int32]) { self.ids = ids }

    @_spi(GeneratedCode) public init(text: String) {
        var ids: [String: Int32] = [:]
        let lines = LabelFile.parse(text)
        let paired = !lines.isEmpty && lines.allSatisfy { line in
            guard let space = line.lastIndex(of: " ") else { return false }
            return Int32(line[line.index(after: space)...]) != nil
        }
        for (number, line) in lines.enumerated() {
            if paired, let space = line.lastIndex(of: " "), let id = Int32(line[line.index(after: space)...]) {
                let token = String(line[..<space])
                if ids[token] == nil { ids[token] = id }
            } else if ids[line] == nil {
                ids[line] = Int32(number)
            }
        }
        self.ids = ids
    }

    @_spi(GeneratedCode) public subscript(token: String) -> Int32? { ids[token] }
}
