// A reader for the subset of the FlatBuffers schema language that `schemas/tflite.fbs` uses:
// namespace, enums, unions, tables and structs with attributes and defaults. Anything else is
// refused with the file and line, so that a schema change the generator does not understand
// cannot produce wrong field ids silently.

/// An `enum` of the schema.
struct SchemaEnum {
    var name: String
    /// The underlying integer type (`byte`, `int`, …).
    var underlying: String
    /// Values in declaration order.
    var values: [(name: String, value: Int64)]
}

/// A `union` of the schema: members in order, with their type ids (1, 2, …; 0 is NONE).
struct SchemaUnion {
    var name: String
    var members: [(type: String, id: Int64)]
}

/// A field of a table or struct.
struct SchemaField {
    var name: String
    /// The type as written: `int`, `Padding`, `[int]`.
    var type: String
    /// The default as written (`1`, `true`, `INT32`), if any.
    var defaultText: String?
    var isDeprecated: Bool
    /// Whether the field has the `required` attribute.
    var isRequired = false
    /// The `force_align` attribute's value, when present.
    var forceAlign: Int?
    /// The field's id: its slot in the vtable (a union field takes two, its `_type` first).
    var id: Int
    var line: Int

    /// The element type of a vector field (`int` for `[int]`), nil otherwise.
    var vectorElement: String? {
        guard type.hasPrefix("["), type.hasSuffix("]") else { return nil }
        return String(type.dropFirst().dropLast())
    }
}

/// A `table` or `struct` of the schema.
struct SchemaTable {
    var name: String
    var isStruct: Bool
    var isDeprecated: Bool
    var fields: [SchemaField]
}

/// A schema file, read.
struct SchemaText {
    var namespace = ""
    /// The `root_type` and `file_identifier` declarations, when present.
    var rootType: String?
    var fileIdentifier: String?
    var enums: [String: SchemaEnum] = [:]
    var unions: [String: SchemaUnion] = [:]
    var tables: [String: SchemaTable] = [:]

    /// A problem in the schema text, naming the file and line.
    struct Problem: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    static let scalarTypes: Set<String> = [
        "bool", "byte", "ubyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double",
        "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64",
    ]

    /// Reads `text` (`file` names it in errors).
    init(text: String, file: String) throws(Problem) {
        var tokens = try Tokenizer(text: text, file: file).tokens()[...]
        func fail(_ message: String, _ line: Int? = nil) -> Problem {
            Problem(file: file, line: line ?? tokens.first?.line ?? 0, message: message)
        }
        func next() throws(Problem) -> Token {
            guard let token = tokens.popFirst() else { throw fail("unexpected end of file") }
            return token
        }
        func expect(_ text: String) throws(Problem) {
            let token = try next()
            guard token.text == text else { throw fail("expected `\(text)`, found `\(token.text)`", token.line) }
        }
        func identifier() throws(Problem) -> String {
            let token = try next()
            guard token.kind == .identifier else { throw fail("expected a name, found `\(token.text)`", token.line) }
            return token.text
        }
        func accept(_ text: String) -> Bool {
            guard tokens.first?.text == text, tokens.first?.kind != .string else { return false }
            tokens.removeFirst()
            return true
        }
        /// `( name (: value)?, … )`, if present: the attribute names and values.
        func attributes() throws(Problem) -> [String: String] {
            var result: [String: String] = [:]
            guard accept("(") else { return result }
            while !accept(")") {
                let name = try identifier()
                result[name] = accept(":") ? try next().text : ""
                _ = accept(",")
            }
            return result
        }
        func integer(_ token: Token) throws(Problem) -> Int64 {
            guard let value = Int64(token.text) else { throw fail("expected an integer, found `\(token.text)`", token.line) }
            return value
        }

        while let keyword = tokens.first {
            tokens.removeFirst()
            switch keyword.text {
            case "namespace":
                var name = try identifier()
                while accept(".") { name += "." + (try identifier()) }
                namespace = name
                try expect(";")
            case "file_identifier", "file_extension", "attribute":
                let value = try next()
                guard value.kind == .string else { throw fail("expected a string after \(keyword.text)", keyword.line) }
                if keyword.text == "file_identifier" { fileIdentifier = value.text }
                try expect(";")
            case "root_type":
                rootType = try identifier()
                try expect(";")
            case "enum":
                let name = try identifier()
                try expect(":")
                let underlying = try identifier()
                _ = try attributes()
                try expect("{")
                var values: [(name: String, value: Int64)] = []
                var nextValue: Int64 = 0
                while !accept("}") {
                    let valueName = try identifier()
                    if accept("=") { nextValue = try integer(try next()) }
                    values.append((valueName, nextValue))
                    nextValue += 1
                    if !accept(",") { try expect("}"); break }
                }
                guard enums[name] == nil, unions[name] == nil, tables[name] == nil else { throw fail("\(name) is declared twice", keyword.line) }
                enums[name] = SchemaEnum(name: name, underlying: underlying, values: values)
            case "union":
                let name = try identifier()
                _ = try attributes()
                try expect("{")
                var members: [(type: String, id: Int64)] = []
                var nextID: Int64 = 1
                while !accept("}") {
                    let member = try identifier()
                    if accept(":") { throw fail("union member aliases are not supported") }
                    if accept("=") { nextID = try integer(try next()) }
                    members.append((member, nextID))
                    nextID += 1
                    if !accept(",") { try expect("}"); break }
                }
                guard enums[name] == nil, unions[name] == nil, tables[name] == nil else { throw fail("\(name) is declared twice", keyword.line) }
                unions[name] = SchemaUnion(name: name, members: members)
            case "table", "struct":
                let name = try identifier()
                let tableAttributes = try attributes()
                try expect("{")
                var fields: [SchemaField] = []
                while !accept("}") {
                    let line = tokens.first?.line ?? keyword.line
                    let fieldName = try identifier()
                    try expect(":")
                    var type: String
                    if accept("[") {
                        type = "[" + (try identifier()) + "]"
                        if accept(":") { throw fail("fixed-size arrays are not supported", line) }
                        try expect("]")
                    } else {
                        type = try identifier()
                        while accept(".") { type += "." + (try identifier()) }
                    }
                    var defaultText: String?
                    if accept("=") {
                        var text = try next().text
                        if text == "-" || text == "+" { text += try next().text }
                        defaultText = text
                    }
                    let fieldAttributes = try attributes()
                    if fieldAttributes["id"] != nil { throw fail("explicit field ids are not supported", line) }
                    try expect(";")
                    fields.append(SchemaField(name: fieldName, type: type, defaultText: defaultText,
                                              isDeprecated: fieldAttributes["deprecated"] != nil,
                                              isRequired: fieldAttributes["required"] != nil,
                                              forceAlign: fieldAttributes["force_align"].flatMap { Int($0) },
                                              id: 0, line: line))
                }
                guard enums[name] == nil, unions[name] == nil, tables[name] == nil else { throw fail("\(name) is declared twice", keyword.line) }
                tables[name] = SchemaTable(name: name, isStruct: keyword.text == "struct",
                                           isDeprecated: tableAttributes["deprecated"] != nil, fields: fields)
            default:
                throw fail("unsupported declaration `\(keyword.text)`", keyword.line)
            }
        }

        // Field ids: one slot per field, two for a union (its `_type` field comes first).
        for (name, table) in tables {
            var id = 0
            var numbered = table
            for index in numbered.fields.indices {
                if unions[numbered.fields[index].type] != nil { id += 1 }
                numbered.fields[index].id = id
                id += 1
            }
            tables[name] = numbered
        }
    }
}

/// A token of the schema text.
struct Token {
    enum Kind { case identifier, number, string, punctuation }
    var kind: Kind
    var text: String
    var line: Int
}

/// Splits schema text into tokens, dropping comments and white space.
struct Tokenizer {
    var text: String
    var file: String

    func tokens() throws(SchemaText.Problem) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var line = 1
        func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || ("0"..."9").contains(c) }
        while index < scalars.count {
            let c = scalars[index]
            if c == "\n" { line += 1; index += 1; continue }
            if c == " " || c == "\t" || c == "\r" { index += 1; continue }
            if c == "/", index + 1 < scalars.count, scalars[index + 1] == "/" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                continue
            }
            if c == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                index += 2
                while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") {
                    if scalars[index] == "\n" { line += 1 }
                    index += 1
                }
                guard index + 1 < scalars.count else { throw SchemaText.Problem(file: file, line: line, message: "unterminated comment") }
                index += 2
                continue
            }
            let start = index
            if isIdentifierStart(c) {
                while index < scalars.count, isIdentifierPart(scalars[index]) { index += 1 }
                tokens.append(Token(kind: .identifier, text: String(String.UnicodeScalarView(scalars[start..<index])), line: line))
            } else if ("0"..."9").contains(c) || (c == "-" && index + 1 < scalars.count && ("0"..."9").contains(scalars[index + 1])) {
                index += 1
                while index < scalars.count, isIdentifierPart(scalars[index]) || scalars[index] == "." ||
                    ((scalars[index] == "-" || scalars[index] == "+") && (scalars[index - 1] == "e" || scalars[index - 1] == "E")) {
                    index += 1
                }
                tokens.append(Token(kind: .number, text: String(String.UnicodeScalarView(scalars[start..<index])), line: line))
            } else if c == "\"" {
                index += 1
                while index < scalars.count, scalars[index] != "\"", scalars[index] != "\n" { index += 1 }
                guard index < scalars.count, scalars[index] == "\"" else {
                    throw SchemaText.Problem(file: file, line: line, message: "unterminated string")
                }
                index += 1
                tokens.append(Token(kind: .string, text: String(String.UnicodeScalarView(scalars[(start + 1)..<(index - 1)])), line: line))
            } else if "{}()[]:;,=.-+".unicodeScalars.contains(c) {
                index += 1
                tokens.append(Token(kind: .punctuation, text: String(c), line: line))
            } else {
                throw SchemaText.Problem(file: file, line: line, message: "unexpected character `\(c)`")
            }
        }
        return tokens
    }
}
