/// Swift names from metadata names: `number of detections` → `numberOfDetections`,
/// `Tiny flower classifier` → `TinyFlowerClassifier`; keywords escaped, collisions resolved in
/// order by appending 2, 3, ….
enum Naming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "async",
        "actor", "consume", "copy", "discard", "each", "macro", "some", "any", "borrowing", "consuming",
    ]

    /// Names the generated code uses itself, which a tensor may not take.
    static let reserved: Set<String> = ["input", "inputs", "interpreter", "configuration", "runner", "options", "url"]

    /// The words of `name`: split at non-alphanumerics and lower→upper case changes.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for character in name {
            if character.isLetter || character.isNumber {
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
        return words.filter { $0.unicodeScalars.allSatisfy { $0.isASCII } }
    }

    /// lowerCamelCase identifier, or nil when nothing usable is left.
    static func lowerCamel(_ name: String) -> String? {
        let parts = words(name)
        guard !parts.isEmpty else { return nil }
        var result = ""
        for (i, word) in parts.enumerated() {
            if i == 0 {
                result += word == word.uppercased() && word.count > 1 ? word.lowercased() : word.prefix(1).lowercased() + word.dropFirst()
            } else {
                result += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        if result.first!.isNumber { result = "_" + result }
        return result
    }

    /// UpperCamelCase type name, or nil.
    static func upperCamel(_ name: String) -> String? {
        let parts = words(name)
        guard !parts.isEmpty else { return nil }
        var result = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if result.first!.isNumber { result = "Model" + result }
        return result
    }

    /// The identifier as written in code: keywords in backquotes.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// Makes `names` unique in order: later duplicates (and reserved names) get 2, 3, ….
    static func uniqued(_ names: [String]) -> [String] {
        var used = reserved
        var result: [String] = []
        for name in names {
            var candidate = name
            var n = 2
            while used.contains(candidate) {
                candidate = "\(name)\(n)"
                n += 1
            }
            used.insert(candidate)
            result.append(candidate)
        }
        return result
    }
}
