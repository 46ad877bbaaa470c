import Foundation

/// The Swift source of a schema's binary layout (`TFLiteModel.SchemaLayout`): every table and
/// struct with its fields' ids, kinds, sizes and defaults, and every union's members.
enum SchemaLayoutSource {
    /// The generated files: `SchemaLayout+<Suffix>.swift` for each schema, and the static
    /// property it declares.
    static let outputs: [(schema: String, file: String, property: String)] = [
        ("tflite.fbs", "SchemaLayout+TFLite.swift", "tflite"),
        ("metadata.fbs", "SchemaLayout+Metadata.swift", "metadata"),
    ]

    /// File name and text of the layout file for each schema in `directory`.
    static func sources(schemaDirectory directory: String) throws -> [(String, String)] {
        var result: [(String, String)] = []
        for output in outputs {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(output.schema).path
            guard let text = try? String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) else {
                throw SchemaAccessors.Problem(description: "cannot read \(path) as UTF-8")
            }
            let schema = try SchemaText(text: text, file: path)
            result.append((output.file, try make(schema, file: path, schemaName: output.schema, property: output.property)))
        }
        return result
    }

    static let scalarTypes: [String: String] = [
        "bool": "bool", "byte": "int8", "int8": "int8", "ubyte": "uint8", "uint8": "uint8",
        "short": "int16", "int16": "int16", "ushort": "uint16", "uint16": "uint16",
        "int": "int32", "int32": "int32", "uint": "uint32", "uint32": "uint32",
        "long": "int64", "int64": "int64", "ulong": "uint64", "uint64": "uint64",
        "float": "float32", "float32": "float32", "double": "float64", "float64": "float64",
    ]
    static let scalarSizes: [String: Int] = [
        "bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4,
        "int64": 8, "uint64": 8, "float32": 4, "float64": 8,
    ]

    static func make(_ schema: SchemaText, file: String, schemaName: String, property: String) throws(SchemaText.Problem) -> String {
        func fail(_ message: String, _ line: Int = 0) -> SchemaText.Problem {
            SchemaText.Problem(file: file, line: line, message: message)
        }
        guard let root = schema.rootType else { throw fail("no root_type") }
        guard let rootTable = schema.tables[root], !rootTable.isStruct else { throw fail("root_type \(root) is not a table") }

        // Struct sizes and alignments, in dependency order.
        var structLayouts: [String: (size: Int, alignment: Int, offsets: [Int])] = [:]
        func structLayout(_ name: String, depth: Int = 0) throws(SchemaText.Problem) -> (size: Int, alignment: Int, offsets: [Int]) {
            if let known = structLayouts[name] { return known }
            guard depth < 64, let table = schema.tables[name], table.isStruct else { throw fail("\(name) is not a struct") }
            var size = 0, alignment = 1
            var offsets: [Int] = []
            for field in table.fields {
                let (fieldSize, fieldAlignment): (Int, Int)
                if let scalar = scalarTypes[field.type] ?? schema.enums[field.type].flatMap({ scalarTypes[$0.underlying] }),
                   let bytes = scalarSizes[scalar] {
                    (fieldSize, fieldAlignment) = (bytes, bytes)
                } else if schema.tables[field.type]?.isStruct == true {
                    let nested = try structLayout(field.type, depth: depth + 1)
                    (fieldSize, fieldAlignment) = (nested.size, nested.alignment)
                } else {
                    throw fail("\(name).\(field.name): a struct field of type \(field.type) is not supported", field.line)
                }
                size = (size + fieldAlignment - 1) / fieldAlignment * fieldAlignment
                offsets.append(size)
                size += fieldSize
                alignment = max(alignment, fieldAlignment)
            }
            if let forced = table.fields.first?.forceAlign { alignment = max(alignment, forced) }
            size = (size + alignment - 1) / alignment * alignment
            structLayouts[name] = (size, alignment, offsets)
            return (size, alignment, offsets)
        }

        func scalarCode(_ type: String, defaultText: String?, what: String, line: Int) throws(SchemaText.Problem) -> String? {
            var enumName: String?
            var underlying = type
            if let declaration = schema.enums[type] {
                enumName = declaration.name
                underlying = declaration.underlying
            }
            guard let scalar = scalarTypes[underlying] else { return nil }
            var text = defaultText ?? (scalar == "bool" ? "false" : "0")
            if let enumName, let named = schema.enums[enumName]?.values.first(where: { $0.name == text }) {
                text = String(named.value)
            }
            let value: String
            switch scalar {
            case "bool":
                switch text {
                case "true", "1": value = ".bool(true)"
                case "false", "0": value = ".bool(false)"
                default: throw fail("\(what): bad bool default \(text)", line)
                }
            case "float32", "float64":
                switch text {
                case "nan": value = ".float(.nan)"
                case "inf", "+inf", "infinity": value = ".float(.infinity)"
                case "-inf", "-infinity": value = ".float(-.infinity)"
                default:
                    guard let number = Double(text), number.isFinite else { throw fail("\(what): bad float default \(text)", line) }
                    value = ".float(\(number))"
                }
            case "uint64":
                guard let number = UInt64(text) else { throw fail("\(what): bad \(scalar) default \(text)", line) }
                value = ".unsigned(\(number))"
            default:
                guard let number = Int64(text), OptionsSource.ranges[OptionsSource.swiftScalars[underlying] ?? ""]?.contains(number) == true else {
                    throw fail("\(what): bad \(scalar) default \(text)", line)
                }
                value = ".integer(\(number))"
            }
            let enumPart = enumName.map { ", enum: \"\($0)\"" } ?? ""
            let zero = [".integer(0)", ".bool(false)", ".float(0.0)", ".unsigned(0)"].contains(value)
            let defaultPart = zero ? "" : ", default: \(value)"
            return ".init(.\(scalar)\(enumPart)\(defaultPart))"
        }

        var source = GeneratedHeader.text(file: file)
        source += "extension SchemaLayout {\n"
        source += "    /// The layout of `\(schemaName)` (root table `\(root)`\(schema.fileIdentifier.map { ", identifier `\($0)`" } ?? "")).\n"
        source += "    package static let \(property) = Schema(\n"
        source += "        file: \"\(schemaName)\", namespace: \"\(schema.namespace)\", rootTable: \"\(root)\", "
        source += "fileIdentifier: \(schema.fileIdentifier.map { "\"\($0)\"" } ?? "nil"),\n"
        source += "        tables: [\n"
        for name in schema.tables.keys.sorted() {
            guard let table = schema.tables[name] else { continue }
            var fieldLines: [String] = []
            var layout: (size: Int, alignment: Int, offsets: [Int])?
            if table.isStruct { layout = try structLayout(name) }
            for (index, field) in table.fields.enumerated() {
                let what = "\(name).\(field.name)"
                var attributes = ""
                if field.isRequired { attributes += ", required: true" }
                if field.isDeprecated { attributes += ", deprecated: true" }
                if let align = field.forceAlign { attributes += ", forceAlign: \(align)" }
                if let layout { attributes += ", structOffset: \(layout.offsets[index])" }
                if let union = schema.unions[field.type] {
                    guard !table.isStruct else { throw fail("\(what): a union in a struct", field.line) }
                    fieldLines.append("                .init(\"\(field.name)_type\", id: \(field.id - 1), .unionType(\"\(union.name)\")\(attributes)),")
                    fieldLines.append("                .init(\"\(field.name)\", id: \(field.id), .unionValue(\"\(union.name)\")\(attributes)),")
                    continue
                }
                let kind: String
                if let element = field.vectorElement {
                    if let scalar = try scalarCode(element, defaultText: nil, what: what, line: field.line) {
                        kind = ".vector(.scalar(\(scalar)))"
                    } else if element == "string" {
                        kind = ".vector(.string)"
                    } else if let nested = schema.tables[element] {
                        if nested.isStruct {
                            let inner = try structLayout(element)
                            kind = ".vector(.struct(\"\(element)\", size: \(inner.size), alignment: \(inner.alignment)))"
                        } else {
                            kind = ".vector(.table(\"\(element)\"))"
                        }
                    } else {
                        throw fail("\(what): vectors of \(element) are not supported", field.line)
                    }
                } else if let scalar = try scalarCode(field.type, defaultText: field.defaultText, what: what, line: field.line) {
                    kind = ".scalar(\(scalar))"
                } else if field.type == "string" {
                    kind = ".string"
                } else if let nested = schema.tables[field.type] {
                    kind = nested.isStruct ? ".struct(\"\(field.type)\")" : ".table(\"\(field.type)\")"
                } else {
                    throw fail("\(what): unknown type \(field.type)", field.line)
                }
                if table.isStruct, !kind.hasPrefix(".scalar"), !kind.hasPrefix(".struct") {
                    throw fail("\(what): a struct field must be a scalar or struct", field.line)
                }
                fieldLines.append("                .init(\"\(field.name)\", id: \(field.id), \(kind)\(attributes)),")
            }
            var header = "            Table(name: \"\(name)\""
            if table.isStruct, let layout { header += ", isStruct: true, size: \(layout.size), alignment: \(layout.alignment)" }
            if table.isDeprecated { header += ", isDeprecated: true" }
            if fieldLines.isEmpty {
                source += header + ", fields: []),\n"
            } else {
                source += header + ", fields: [\n" + fieldLines.joined(separator: "\n") + "\n            ]),\n"
            }
        }
        source += "        ],\n        unions: [\n"
        for name in schema.unions.keys.sorted() {
            guard let union = schema.unions[name] else { continue }
            var members: [String] = []
            for member in union.members {
                guard (1...255).contains(member.id) else { throw fail("\(name) member \(member.type) has type id \(member.id), outside 1…255") }
                guard let table = schema.tables[member.type], !table.isStruct else { throw fail("\(name) member \(member.type) is not a table") }
                members.append("(\(member.id), \"\(member.type)\")")
            }
            var lines: [String] = []
            for start in stride(from: 0, to: members.count, by: 4) {
                lines.append(members[start..<min(start + 4, members.count)].joined(separator: ", "))
            }
            source += "            Union(name: \"\(name)\", members: [\n                \(lines.joined(separator: ",\n                ")),\n            ]),\n"
        }
        source += "        ])\n}\n"
        return source
    }
}
