/// The options of a builtin operator: one member table of an options union of `tflite.Operator`
/// (`builtin_options` or `builtin_options_2`), its fields read by schema id and type.
///
/// The conforming structs are generated from `schemas/tflite.fbs`
/// (`Generated/OperatorOptions+Tables.swift`, `make embed`).
package protocol OperatorOptions: Sendable {
    /// The table's schema name, e.g. `Conv2DOptions`.
    static var schemaName: String { get }
    /// The union the table is a member of.
    static var union: OptionsUnion { get }
    /// The table's type id in `union`.
    static var unionType: UInt8 { get }
    /// Reads the fields of `table`; the schema's defaults when it is nil.
    init(_ table: FlatBufferTable?) throws(FlatBufferError)
}

/// Field readers of the generated options structs: the schema's default when the table or the
/// field is absent.
package enum OptionsField {
    package static func scalar<T: FixedWidthInteger>(_ table: FlatBufferTable?, _ id: Int, default value: T) throws(FlatBufferError) -> T {
        try table?.scalar(id, default: value) ?? value
    }

    package static func bool(_ table: FlatBufferTable?, _ id: Int, default value: Bool) throws(FlatBufferError) -> Bool {
        try table?.bool(id, default: value) ?? value
    }

    package static func float(_ table: FlatBufferTable?, _ id: Int, default value: Float) throws(FlatBufferError) -> Float {
        try table?.float(id, default: value) ?? value
    }

    package static func double(_ table: FlatBufferTable?, _ id: Int, default value: Double) throws(FlatBufferError) -> Double {
        guard let table else { return value }
        return Double(bitPattern: try table.scalar(id, default: value.bitPattern))
    }

    package static func scalars<T: FixedWidthInteger>(_ table: FlatBufferTable?, _ id: Int, _ type: T.Type) throws(FlatBufferError) -> [T]? {
        try table?.vector(id)?.scalars(T.self)
    }

    package static func bools(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> [Bool]? {
        try table?.vector(id)?.scalars(UInt8.self).map { $0 != 0 }
    }

    package static func floats(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> [Float]? {
        try table?.vector(id)?.floats()
    }

    package static func doubles(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> [Double]? {
        try table?.vector(id)?.scalars(UInt64.self).map { Double(bitPattern: $0) }
    }

    package static func string(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> String? {
        try table?.string(id)
    }

    package static func strings(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> [String]? {
        try table?.vector(id)?.strings()
    }

    package static func table(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> FlatBufferTable? {
        try table?.table(id)
    }

    package static func tables(_ table: FlatBufferTable?, _ id: Int) throws(FlatBufferError) -> [FlatBufferTable]? {
        try table?.vector(id)?.tables()
    }

    /// The ids among `ids` (each below 64) that `table` stores, as bits.
    package static func stored(_ table: FlatBufferTable?, ids: [Int]) throws(FlatBufferError) -> UInt64 {
        guard let table else { return 0 }
        var bits: UInt64 = 0
        for id in ids where try table.has(id) { bits |= 1 << UInt64(id) }
        return bits
    }
}
