/// A table to write: an input table to copy field by field (or none), with some fields set or
/// removed. Fields neither set nor removed are copied from `source` as the schema layout
/// describes them, recursively, so that whatever the rewriter does not touch is kept.
package struct TableValue: @unchecked Sendable {
    /// The table's layout.
    package let layout: SchemaLayout.Table
    /// The schema the table belongs to.
    package let schema: SchemaLayout.Schema
    /// The input table copied for fields not in `fields`.
    package var source: FlatBufferTable?
    /// Fields set (a value) or removed (nil), by id.
    package var fields: [Int: FlatValue?] = [:]

    /// `source` (or an empty table) of the table named `name` in `schema`.
    package init(_ name: String, source: FlatBufferTable? = nil, schema: SchemaLayout.Schema = SchemaLayout.tflite) {
        guard let layout = schema.table(name) else {
            fatalError("no table \(name) in \(schema.file)")  // a program constant, not file content
        }
        self.layout = layout
        self.schema = schema
        self.source = source
    }

    /// The id of field `name` (a program constant).
    package func id(_ name: String) -> Int {
        guard let field = layout.field(named: name) else { fatalError("no field \(name) in \(layout.name)") }
        return field.id
    }

    /// Sets field `name` to `value`, or removes it (nil).
    package mutating func set(_ name: String, _ value: FlatValue?) {
        fields[id(name)] = .some(value)
    }

    /// Sets a scalar field from its declared type.
    package mutating func set<T: FixedWidthInteger>(_ name: String, integer value: T) {
        guard let field = layout.field(named: name) else { fatalError("no field \(name) in \(layout.name)") }
        switch field.kind {
        case .scalar(let scalar): fields[field.id] = .some(.scalar(UInt64(truncatingIfNeeded: value), scalar.type))
        case .unionType: fields[field.id] = .some(.scalar(UInt64(truncatingIfNeeded: value), .uint8))
        default: fatalError("\(layout.name).\(name) is not a scalar")
        }
    }

    /// Sets a `bool` field.
    package mutating func set(_ name: String, bool value: Bool) {
        set(name, integer: UInt8(value ? 1 : 0))
    }

    /// Whether field `name` will be written (set, or present in the source and not removed).
    package func has(_ name: String) throws(FlatBufferError) -> Bool {
        let id = id(name)
        if let value = fields[id] { return value != nil }
        return try source?.has(id) ?? false
    }

    /// The int32 vector field `name`: as set, or as in the source (empty when absent).
    package func int32s(_ name: String) throws(FlatBufferError) -> [Int32] {
        let id = id(name)
        if let value = fields[id] {
            guard case .int32s(let values)? = value else { return [] }
            return values
        }
        return try source?.vector(id)?.scalars(Int32.self) ?? []
    }

    /// The integer scalar field `name`: as set, or as in the source, or `defaultValue`.
    package func integer<T: FixedWidthInteger>(_ name: String, default defaultValue: T) throws(FlatBufferError) -> T {
        let id = id(name)
        if let value = fields[id] {
            guard case .scalar(let bits, _)? = value else { return defaultValue }
            return T(truncatingIfNeeded: bits)
        }
        return try source?.scalar(id, default: defaultValue) ?? defaultValue
    }

    /// The sub-table field `name`, as set or as in the source.
    package func table(_ name: String) throws(FlatBufferError) -> TableValue? {
        let id = id(name)
        if let value = fields[id] {
            guard case .table(let table)? = value else { return nil }
            return table
        }
        guard let field = layout.field(id: id), let child = try source?.table(id) else { return nil }
        switch field.kind {
        case .table(let name): return TableValue(name, source: child, schema: schema)
        default: return nil
        }
    }
}

/// Bytes to write for a vector of `[ubyte]` data (a `Buffer`'s weights).
package enum DataSource: @unchecked Sendable {
    /// Bytes of the mapped input (kept alive by its `ByteStorage`).
    case input(UnsafeRawBufferPointer)
    /// Bytes this program made.
    case owned([UInt8])
    /// Bytes written by a function into their final place (`count` bytes).
    case produced((UnsafeMutableRawBufferPointer) -> Void)
}

/// A field value to write.
package indirect enum FlatValue: @unchecked Sendable {
    /// A scalar's bit pattern (little end first) and type.
    case scalar(UInt64, SchemaLayout.ScalarType)
    case string(String)
    case table(TableValue)
    case tables([TableValue])
    case strings([String])
    case int32s([Int32])
    case int64s([Int64])
    case floats([Float])
    /// `count` bytes of vector data aligned to `alignment`.
    case data(count: Int, alignment: Int, DataSource)
    /// A 64-bit absolute file position: where out-of-line blob `index` lands.
    case blobOffset(Int)

    /// A `float` field.
    package static func float(_ value: Float) -> FlatValue { .scalar(UInt64(value.bitPattern), .float32) }
}

/// Data placed after the FlatBuffer (models over 2 GB), its position patched into the
/// `Buffer.offset` that names it.
package struct Blob: @unchecked Sendable {
    package var count: Int
    package var source: DataSource
}
