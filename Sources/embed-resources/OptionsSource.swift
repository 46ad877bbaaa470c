/// The Swift source of the operator options: one struct per member table of the options unions
/// (`BuiltinOptions`, `BuiltinOptions2`), its fields read by schema id and type with the
/// schema's defaults, and the unions' member names by type id.
enum OptionsSource {
    /// The unions of `tflite.Operator` that hold a builtin operator's options, in field order.
    static let unions = ["BuiltinOptions", "BuiltinOptions2"]

    static func make(_ schema: SchemaText, file: String) throws(SchemaText.Problem) -> String {
        func fail(_ message: String, line: Int = 0) -> SchemaText.Problem {
            SchemaText.Problem(file: file, line: line, message: message)
        }
        var source = GeneratedHeader.text(file: file)
        source += "/// The unions of `tflite.Operator` that hold a builtin operator's options.\n"
        source += "package enum OptionsUnion: Sendable {\n"
        for union in unions { source += "    /// `\(union)`.\n    case \(SwiftNames.lowerCamel(union))\n" }
        source += "\n    /// The union's schema name.\n    package var name: String {\n        switch self {\n"
        for union in unions { source += "        case .\(SwiftNames.lowerCamel(union)): \"\(union)\"\n" }
        source += "        }\n    }\n"
        source += "\n    /// The name of the member table whose type id is `type`, if the union has one.\n"
        source += "    package func memberName(_ type: UInt8) -> String? {\n        switch self {\n"
        for union in unions { source += "        case .\(SwiftNames.lowerCamel(union)): Self.\(SwiftNames.lowerCamel(union))Members[type]\n" }
        source += "        }\n    }\n"
        var members: [(union: String, table: String, id: Int64)] = []
        var owners: [String: String] = [:]
        for union in unions {
            guard let declaration = schema.unions[union] else { throw fail("no union \(union)") }
            source += "\n    static let \(SwiftNames.lowerCamel(union))Members: [UInt8: String] = [\n"
            for (table, id) in declaration.members {
                guard (1...255).contains(id) else { throw fail("\(union) member \(table) has type id \(id), outside 1…255") }
                if let owner = owners[table] { throw fail("\(table) is a member of both \(owner) and \(union)") }
                owners[table] = union
                members.append((union, table, id))
                source += "        \(id): \"\(table)\",\n"
            }
            source += "    ]\n"
        }
        source += "}\n"
        for member in members {
            guard let table = schema.tables[member.table], !table.isStruct else {
                throw fail("\(member.union) member \(member.table) is not a table")
            }
            source += "\n" + (try structSource(table, union: member.union, id: member.id, schema: schema, fail: fail))
        }
        return source
    }

    /// A field's Swift type, its reading expression and its documentation.
    struct FieldCode {
        var type: String
        var read: String
        var defaultDescription: String?
    }

    static func structSource(_ table: SchemaTable, union: String, id: Int64, schema: SchemaText,
                             fail: (String, Int) -> SchemaText.Problem) throws(SchemaText.Problem) -> String {
        let fields = table.fields.filter { !$0.isDeprecated }
        var source = "/// `\(schema.namespace).\(table.name)`: member \(id) of `\(union)`\(table.isDeprecated ? " (deprecated in the schema)" : "").\n"
        source += "package struct \(table.name): OperatorOptions {\n"
        source += "    package static let schemaName = \"\(table.name)\"\n"
        source += "    package static let union = OptionsUnion.\(SwiftNames.lowerCamel(union))\n"
        source += "    package static let unionType: UInt8 = \(id)\n"
        var reads: [String] = []
        for field in fields {
            guard field.id < 64 else { throw fail("\(table.name).\(field.name) has id \(field.id), past 63", field.line) }
            let code = try fieldCode(field, table: table.name, schema: schema, fail: fail)
            let name = SwiftNames.lowerCamel(field.name)
            source += "\n    /// `\(field.name):\(field.type)` (id \(field.id)\(code.defaultDescription.map { ", default \($0)" } ?? "")).\n"
            source += "    package let \(name): \(code.type)\n"
            reads.append("        \(name) = \(code.read)\n")
        }
        if !fields.isEmpty {
            source += "\n    /// The fields, by schema id.\n    package enum Field: Int, Sendable {\n"
            for field in fields { source += "        case \(SwiftNames.lowerCamel(field.name)) = \(field.id)\n" }
            source += "    }\n\n    /// The ids of the fields the table stores, as bits.\n    private let stored: UInt64\n"
            source += "\n    /// Whether the table stores `field` (an absent field reads as the schema's default).\n"
            source += "    package func has(_ field: Field) -> Bool { stored & (1 << UInt64(field.rawValue)) != 0 }\n"
        }
        source += "\n    /// Reads the fields of `table`; the schema's defaults when it is nil.\n"
        let throwing = fields.isEmpty ? "" : " throws(FlatBufferError)"
        source += "    package init(_ table: FlatBufferTable?)\(throwing) {\n"
        source += reads.joined()
        if !fields.isEmpty {
            source += "        stored = try OptionsField.stored(table, ids: [\(fields.map { String($0.id) }.joined(separator: ", "))])\n"
        }
        source += "    }\n}\n"
        return source
    }

    static let swiftScalars: [String: String] = [
        "byte": "Int8", "int8": "Int8", "ubyte": "UInt8", "uint8": "UInt8",
        "short": "Int16", "int16": "Int16", "ushort": "UInt16", "uint16": "UInt16",
        "int": "Int32", "int32": "Int32", "uint": "UInt32", "uint32": "UInt32",
        "long": "Int64", "int64": "Int64", "ulong": "UInt64", "uint64": "UInt64",
    ]

    static func fieldCode(_ field: SchemaField, table: String, schema: SchemaText,
                          fail: (String, Int) -> SchemaText.Problem) throws(SchemaText.Problem) -> FieldCode {
        let what = "\(table).\(field.name)"
        if let element = field.vectorElement {
            if field.defaultText != nil { throw fail("\(what): a vector cannot have a default", field.line) }
            let read: (String, String)
            if let swift = swiftScalars[element] {
                read = ("[\(swift)]?", "try OptionsField.scalars(table, \(field.id), \(swift).self)")
            } else if let declaration = schema.enums[element], let swift = swiftScalars[declaration.underlying] {
                read = ("[\(swift)]?", "try OptionsField.scalars(table, \(field.id), \(swift).self)")
            } else {
                switch element {
                case "bool": read = ("[Bool]?", "try OptionsField.bools(table, \(field.id))")
                case "float", "float32": read = ("[Float]?", "try OptionsField.floats(table, \(field.id))")
                case "double", "float64": read = ("[Double]?", "try OptionsField.doubles(table, \(field.id))")
                case "string": read = ("[String]?", "try OptionsField.strings(table, \(field.id))")
                default:
                    guard let nested = schema.tables[element], !nested.isStruct else {
                        throw fail("\(what): vectors of \(element) are not supported", field.line)
                    }
                    read = ("[FlatBufferTable]?", "try OptionsField.tables(table, \(field.id))")
                }
            }
            return FieldCode(type: read.0, read: read.1)
        }
        if let swift = swiftScalars[field.type] {
            let value = try integerDefault(field.defaultText ?? "0", swift: swift, what: what, line: field.line, fail: fail)
            return FieldCode(type: swift, read: "try OptionsField.scalar(table, \(field.id), default: \(swift)(\(value)))",
                             defaultDescription: value)
        }
        if let declaration = schema.enums[field.type] {
            guard let swift = swiftScalars[declaration.underlying] else {
                throw fail("\(what): enum \(declaration.name) has underlying type \(declaration.underlying)", field.line)
            }
            let text = field.defaultText ?? "0"
            let value: String
            if let named = declaration.values.first(where: { $0.name == text }) {
                value = String(named.value)
            } else {
                value = try integerDefault(text, swift: swift, what: what, line: field.line, fail: fail)
            }
            let description = declaration.values.first { String($0.value) == value }.map { "\(value), \($0.name)" } ?? value
            return FieldCode(type: swift, read: "try OptionsField.scalar(table, \(field.id), default: \(swift)(\(value)))",
                             defaultDescription: description)
        }
        switch field.type {
        case "bool":
            let value: String
            switch field.defaultText ?? "false" {
            case "true", "1": value = "true"
            case "false", "0": value = "false"
            default: throw fail("\(what): bad bool default \(field.defaultText ?? "")", field.line)
            }
            return FieldCode(type: "Bool", read: "try OptionsField.bool(table, \(field.id), default: \(value))", defaultDescription: value)
        case "float", "float32", "double", "float64":
            let value = try floatDefault(field.defaultText ?? "0", what: what, line: field.line, fail: fail)
            let isFloat = field.type.hasPrefix("float") && field.type != "float64"
            return FieldCode(type: isFloat ? "Float" : "Double",
                             read: "try OptionsField.\(isFloat ? "float" : "double")(table, \(field.id), default: \(value))",
                             defaultDescription: value)
        case "string":
            if field.defaultText != nil { throw fail("\(what): string defaults are not supported", field.line) }
            return FieldCode(type: "String?", read: "try OptionsField.string(table, \(field.id))")
        default:
            if let nested = schema.tables[field.type], !nested.isStruct {
                return FieldCode(type: "FlatBufferTable?", read: "try OptionsField.table(table, \(field.id))")
            }
            throw fail("\(what): fields of type \(field.type) are not supported", field.line)
        }
    }

    /// The ranges of the Swift integer types (`UInt64` limited to what `Int64` holds).
    static let ranges: [String: ClosedRange<Int64>] = [
        "Int8": -128...127, "UInt8": 0...255, "Int16": -32768...32767, "UInt16": 0...65535,
        "Int32": Int64(Int32.min)...Int64(Int32.max), "UInt32": 0...Int64(UInt32.max),
        "Int64": Int64.min...Int64.max, "UInt64": 0...Int64.max,
    ]

    static func integerDefault(_ text: String, swift: String, what: String, line: Int,
                               fail: (String, Int) -> SchemaText.Problem) throws(SchemaText.Problem) -> String {
        guard let value = Int64(text), ranges[swift]?.contains(value) == true else {
            throw fail("\(what): bad \(swift) default \(text)", line)
        }
        return String(value)
    }

    static func floatDefault(_ text: String, what: String, line: Int,
                             fail: (String, Int) -> SchemaText.Problem) throws(SchemaText.Problem) -> String {
        switch text {
        case "nan": return ".nan"
        case "inf", "+inf", "infinity": return ".infinity"
        case "-inf", "-infinity": return "-.infinity"
        default:
            guard let value = Double(text), value.isFinite else { throw fail("\(what): bad float default \(text)", line) }
            return text.contains(".") || text.contains("e") || text.contains("E") ? text : text + ".0"
        }
    }
}
