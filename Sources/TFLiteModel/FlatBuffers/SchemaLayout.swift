/// The binary layout of a FlatBuffers schema: every table and struct with its fields' slots,
/// kinds, sizes and defaults, and every union's members by type id.
///
/// The values for `schemas/tflite.fbs` and `schemas/metadata.fbs` are generated from the schema
/// text by `embed-resources --schema-layout` (`make embed`) into
/// `Generated/SchemaLayout+TFLite.swift` and `Generated/SchemaLayout+Metadata.swift`; a test
/// checks the committed files against a fresh run. Code that walks a buffer generically (the
/// model rewriter's copier) reads it from here rather than hard-coding field ids.
package enum SchemaLayout {
    /// One schema file.
    package struct Schema: Sendable {
        /// The schema file's name (`tflite.fbs`).
        package let file: String
        package let namespace: String
        /// The `root_type`.
        package let rootTable: String
        /// The `file_identifier` (4 characters), when declared.
        package let fileIdentifier: String?
        /// Tables and structs, sorted by name.
        package let tables: [Table]
        /// Unions, sorted by name.
        package let unions: [Union]
        private let tableIndex: [String: Int]
        private let unionIndex: [String: Int]

        package init(file: String, namespace: String, rootTable: String, fileIdentifier: String?,
                     tables: [Table], unions: [Union]) {
            self.file = file
            self.namespace = namespace
            self.rootTable = rootTable
            self.fileIdentifier = fileIdentifier
            self.tables = tables
            self.unions = unions
            tableIndex = Dictionary(tables.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
            unionIndex = Dictionary(unions.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }

        /// The table or struct named `name`.
        package func table(_ name: String) -> Table? {
            tableIndex[name].map { tables[$0] }
        }

        /// The union named `name`.
        package func union(_ name: String) -> Union? {
            unionIndex[name].map { unions[$0] }
        }
    }

    /// A table, or a struct (fixed layout, stored inline).
    package struct Table: Sendable {
        package let name: String
        package let isStruct: Bool
        package let isDeprecated: Bool
        /// A struct's byte size and alignment (0 for tables).
        package let size: Int
        package let alignment: Int
        /// Fields in id order (a union takes two consecutive ids: its `_type` field, then the value).
        package let fields: [Field]

        package init(name: String, isStruct: Bool = false, isDeprecated: Bool = false, size: Int = 0, alignment: Int = 0,
                     fields: [Field]) {
            self.name = name
            self.isStruct = isStruct
            self.isDeprecated = isDeprecated
            self.size = size
            self.alignment = alignment
            self.fields = fields
        }

        /// The number of vtable slots the schema knows for this table.
        package var slotCount: Int { (fields.last?.id ?? -1) + 1 }

        /// The field with id `id`.
        package func field(id: Int) -> Field? {
            guard id >= 0, id < fields.count, fields[id].id == id else { return fields.first { $0.id == id } }
            return fields[id]
        }

        /// The field named `name`.
        package func field(named name: String) -> Field? {
            fields.first { $0.name == name }
        }
    }

    /// A field of a table (slot `id`) or struct (at `structOffset`).
    package struct Field: Sendable {
        package let name: String
        package let id: Int
        package let kind: Kind
        package let isRequired: Bool
        package let isDeprecated: Bool
        /// The `force_align` attribute (vectors), when present.
        package let forceAlign: Int?
        /// A struct field's byte offset inside the struct (0 for table fields).
        package let structOffset: Int

        package init(_ name: String, id: Int, _ kind: Kind, required: Bool = false, deprecated: Bool = false,
                     forceAlign: Int? = nil, structOffset: Int = 0) {
            self.name = name
            self.id = id
            self.kind = kind
            self.isRequired = required
            self.isDeprecated = deprecated
            self.forceAlign = forceAlign
            self.structOffset = structOffset
        }
    }

    /// What a field holds.
    package enum Kind: Sendable {
        /// A scalar stored inline in the table.
        case scalar(Scalar)
        case string
        /// An offset to a table of this name.
        case table(String)
        /// A struct of this name, stored inline.
        case `struct`(String)
        /// A vector of these elements.
        case vector(Element)
        /// The type field of union `name` (a `ubyte`, default 0 = NONE).
        case unionType(String)
        /// The value field of union `name`: an offset to the member table its type field names.
        case unionValue(String)
    }

    /// A vector's element.
    package enum Element: Sendable {
        case scalar(Scalar)
        case string
        case table(String)
        /// A struct of this name, with its byte size and alignment.
        case `struct`(String, size: Int, alignment: Int)
    }

    /// The scalar types.
    package enum ScalarType: Sendable, Equatable {
        case bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

        /// The byte size.
        package var size: Int {
            switch self {
            case .bool, .int8, .uint8: 1
            case .int16, .uint16: 2
            case .int32, .uint32, .float32: 4
            case .int64, .uint64, .float64: 8
            }
        }

        package var isSigned: Bool {
            switch self {
            case .int8, .int16, .int32, .int64, .float32, .float64: true
            default: false
            }
        }

        package var isFloat: Bool { self == .float32 || self == .float64 }

        /// The type's zero, the default of a field that declares none.
        package var zero: DefaultValue {
            switch self {
            case .bool: .bool(false)
            case .float32, .float64: .float(0)
            case .uint64: .unsigned(0)
            default: .integer(0)
            }
        }
    }

    /// A scalar default, as written in the schema (0 when none is).
    package enum DefaultValue: Sendable, Equatable {
        case integer(Int64)
        case unsigned(UInt64)
        case float(Double)
        case bool(Bool)
    }

    /// A scalar field or element: its type, the enum it holds (if any) and its default.
    package struct Scalar: Sendable {
        package let type: ScalarType
        /// The enum's name, when the field is one.
        package let enumName: String?
        package let defaultValue: DefaultValue

        /// A scalar of `type`; its default is the type's zero unless given.
        package init(_ type: ScalarType, enum enumName: String? = nil, default defaultValue: DefaultValue? = nil) {
            self.type = type
            self.enumName = enumName
            self.defaultValue = defaultValue ?? type.zero
        }
    }

    /// A union: its member tables by type id (0 is NONE).
    package struct Union: Sendable {
        package let name: String
        package let members: [(id: UInt8, table: String)]
        private let byType: [String?]

        package init(name: String, members: [(id: UInt8, table: String)]) {
            self.name = name
            self.members = members
            var byType = [String?](repeating: nil, count: 256)
            for member in members where byType[Int(member.id)] == nil { byType[Int(member.id)] = member.table }
            self.byType = byType
        }

        /// The member table whose type id is `type`.
        package func member(_ type: UInt8) -> String? {
            byType[Int(type)]
        }
    }
}
