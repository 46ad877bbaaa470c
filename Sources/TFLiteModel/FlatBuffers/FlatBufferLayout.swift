/// What a FlatBuffers schema says about the shape of its buffers, as far as verification needs
/// it: for every table, each field's vtable slot and kind (scalar width, string, table, union,
/// vector of what).
///
/// `make embed` generates one per schema from `schemas/*.fbs` (`Generated/FlatBufferLayout+*.swift`);
/// ``FlatBufferVerifier`` walks a buffer with it.
package struct FlatBufferLayout: Sendable {
    /// A table of the schema.
    package struct Table: Sendable {
        /// The schema's name, for messages.
        package let name: String
        /// Every field, deprecated ones included (a verifier checks them too), in declaration order.
        package let fields: [Field]

        package init(_ name: String, _ fields: [Field]) {
            self.name = name
            self.fields = fields
        }
    }

    /// A field of a table.
    package struct Field: Sendable {
        /// The schema's name, for messages.
        package let name: String
        /// The field's entry in the vtable, in bytes from the vtable's start (4 + 2 × id).
        package let vtableOffset: Int
        package let kind: Kind
        /// The schema marks the field `required`: a buffer without it is invalid.
        package let isRequired: Bool

        package init(_ name: String, _ vtableOffset: Int, _ kind: Kind, required: Bool = false) {
            self.name = name
            self.vtableOffset = vtableOffset
            self.kind = kind
            self.isRequired = required
        }
    }

    /// How a field is stored.
    package enum Kind: Sendable {
        /// A scalar (or enum, or a union's type byte) of `size` bytes, aligned to its size.
        case scalar(size: Int)
        /// A struct stored inline.
        case structure(size: Int, alignment: Int)
        /// An offset to a string.
        case string
        /// An offset to a table (an index into ``FlatBufferLayout/tables``).
        case table(Int)
        /// An offset to a union member; its type is the field in the slot before. `members[type]`
        /// is the member table's index (nil for NONE, type 0).
        case union(members: [Int?])
        /// An offset to a vector of scalars or enums of `size` bytes each.
        case vectorOfScalars(size: Int)
        /// An offset to a vector of inline structs of `size` bytes each.
        case vectorOfStructs(size: Int)
        /// An offset to a vector of offsets to strings.
        case vectorOfStrings
        /// An offset to a vector of offsets to tables (an index into ``FlatBufferLayout/tables``).
        case vectorOfTables(Int)
    }

    /// The schema's `file_identifier`, four characters.
    package let fileIdentifier: String
    /// The index of the `root_type` in ``tables``.
    package let root: Int
    /// Every table of the schema.
    package let tables: [Table]

    package init(fileIdentifier: String, root: Int, tables: [Table]) {
        self.fileIdentifier = fileIdentifier
        self.root = root
        self.tables = tables
    }
}
