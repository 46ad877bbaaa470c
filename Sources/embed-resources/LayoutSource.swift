/// The Swift source of a schema's `FlatBufferLayout`: for every table, each field's vtable slot
/// and kind, which `FlatBufferVerifier` walks buffers with.
enum LayoutSource {
    /// `name` is the static property the layout is declared as (`tflite`, `metadata`).
    static func make(_ schema: SchemaText, name: String, file: String) throws(SchemaText.Problem) -> String {
        func problem(_ message: String, _ line: Int = 0) -> SchemaText.Problem {
            SchemaText.Problem(file: file, line: line, message: message)
        }
        guard let rootType = schema.rootType else { throw problem("no root_type") }
        guard let identifier = schema.fileIdentifier, identifier.utf8.count == 4 else {
            throw problem("no four-character file_identifier")
        }
        let names = schema.tables.values.filter { !$0.isStruct }.map(\.name).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        guard let root = index[rootType] else { throw problem("root_type \(rootType) is not a table") }

        /// The local name of `type` (`tflite.Model` → `Model`).
        func local(_ type: String) -> String {
            let prefix = schema.namespace + "."
            return type.hasPrefix(prefix) ? String(type.dropFirst(prefix.count)) : type
        }
        func scalarSize(_ type: String) -> Int? {
            switch local(type) {
            case "bool", "byte", "ubyte", "int8", "uint8": 1
            case "short", "ushort", "int16", "uint16": 2
            case "int", "uint", "float", "int32", "uint32", "float32": 4
            case "long", "ulong", "double", "int64", "uint64", "float64": 8
            case let other: schema.enums[other].flatMap { scalarSize($0.underlying) }
            }
        }

        var source = GeneratedHeader.text(file: file)
        source += "extension FlatBufferLayout {\n"
        source += "    /// The tables of `\(file.split(separator: "/").last.map(String.init) ?? file)` (root `\(rootType)`, identifier `\(identifier)`).\n"
        source += "    package static let \(name) = FlatBufferLayout(fileIdentifier: \"\(identifier)\", root: \(root), tables: [\n"
        for (position, tableName) in names.enumerated() {
            guard let table = schema.tables[tableName] else { continue }
            source += "        // \(position)\n"
            source += "        FlatBufferLayout.Table(\"\(tableName)\", [\n"
            for field in table.fields {
                let slot = 4 + 2 * field.id
                let required = field.isRequired ? ", required: true" : ""
                func line(_ name: String, _ slot: Int, _ kind: String) {
                    source += "            FlatBufferLayout.Field(\"\(name)\", \(slot), \(kind)\(required)),\n"
                }
                let where_ = "\(tableName).\(field.name)"
                if let element = field.vectorElement {
                    if let size = scalarSize(element) {
                        line(field.name, slot, ".vectorOfScalars(size: \(size))")
                    } else if element == "string" {
                        line(field.name, slot, ".vectorOfStrings")
                    } else if let member = index[local(element)] {
                        line(field.name, slot, ".vectorOfTables(\(member))")
                    } else {
                        throw problem("\(where_): vectors of \(element) are not supported", field.line)
                    }
                } else if let size = scalarSize(field.type) {
                    line(field.name, slot, ".scalar(size: \(size))")
                } else if field.type == "string" {
                    line(field.name, slot, ".string")
                } else if let target = index[local(field.type)] {
                    line(field.name, slot, ".table(\(target))")
                } else if let union = schema.unions[local(field.type)] {
                    var members = [String](repeating: "nil", count: Int(union.members.map(\.id).max() ?? 0) + 1)
                    for (type, id) in union.members {
                        guard let member = index[local(type)] else {
                            throw problem("\(where_): union member \(type) is not a table", field.line)
                        }
                        members[Int(id)] = String(member)
                    }
                    line(field.name + "_type", slot - 2, ".scalar(size: 1)")
                    line(field.name, slot, ".union(members: [\(members.joined(separator: ", "))])")
                } else {
                    throw problem("\(where_): fields of type \(field.type) are not supported", field.line)
                }
            }
            source += "        ]),\n"
        }
        source += "    ])\n}\n"
        return source
    }
}
