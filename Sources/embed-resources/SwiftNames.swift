/// Swift spellings of schema names.
enum SwiftNames {
    /// `CONV_2D` → `conv2D`, `RELU_N1_TO_1` → `reluN1To1`, `stride_w` → `strideW`,
    /// `BuiltinOptions` → `builtinOptions`: words joined, the first one's initial lower case, the
    /// others' upper case; a name written in capitals is lower case but for letters right after a
    /// digit (`2D`, `V2`).
    static func lowerCamel(_ name: String) -> String {
        let shouting = name == name.uppercased()
        var result = ""
        for (index, word) in name.split(separator: "_").enumerated() {
            var previous: Character?
            for (position, character) in word.enumerated() {
                if position == 0 {
                    result += index > 0 ? character.uppercased() : character.lowercased()
                } else if !shouting {
                    result.append(character)  // `BuiltinOptions`, `stride_w`: as written
                } else if previous?.isNumber == true {
                    result += character.uppercased()
                } else {
                    result += character.lowercased()
                }
                previous = character
            }
        }
        return escaped(result)
    }

    /// `name`, in backquotes when it is a Swift keyword.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch",
        "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat",
        "return", "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self",
        "Self", "super", "throws", "true", "try", "package",
    ]
}
