/// A builtin operator code (`tflite.BuiltinOperator`).
///
/// Each code the schema names has a constant (`.conv2D`, `.reshape`, `.custom`, …), generated
/// from `schemas/tflite.fbs` into `Generated/BuiltinOperator+Names.swift` (`make embed`).
package struct BuiltinOperator: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: Int32
    package init(rawValue: Int32) { self.rawValue = rawValue }

    /// The schema's name, e.g. `CONV_2D`, or `OP_<n>` for a code the schema does not know.
    package var name: String {
        BuiltinOperator.schemaNames[rawValue] ?? "OP_\(rawValue)"
    }

    package var description: String { name }

    /// The code whose name is `name`, if the schema has one.
    package init?(name: String) {
        guard let code = BuiltinOperator.codesByName[name] else { return nil }
        self = code
    }

    private static let codesByName: [String: BuiltinOperator] = {
        var table: [String: BuiltinOperator] = [:]
        for (code, name) in schemaNames { table[name] = BuiltinOperator(rawValue: code) }
        return table
    }()
}
