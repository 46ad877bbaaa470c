/// A builtin operator code (`tflite.BuiltinOperator`).
public struct BuiltinOperator: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The code of custom operators (their name is in `OperatorCode.customCode`).
    public static let custom = BuiltinOperator(rawValue: 32)
    /// The largest code the one-byte `deprecated_builtin_code` field can hold; above it only
    /// `builtin_code` is meaningful.
    public static let placeholderForGreaterOpCodes = BuiltinOperator(rawValue: 127)

    /// The schema's name, e.g. `CONV_2D`, or `OP_<n>` for a code the schema does not know.
    public var name: String {
        FlatBufferSchema.model.enumName("tflite.BuiltinOperator", value: Int64(rawValue)) ?? "OP_\(rawValue)"
    }

    public var description: String { name }

    /// The code whose name is `name`, if the schema has one.
    public init?(name: String) {
        guard let code = BuiltinOperator.codesByName[name] else { return nil }
        self = code
    }

    private static let codesByName: [String: BuiltinOperator] = {
        var table: [String: BuiltinOperator] = [:]
        for value in Int32(-4)...Int32(512) {
            if let name = FlatBufferSchema.model.enumName("tflite.BuiltinOperator", value: Int64(value)) {
                table[name] = BuiltinOperator(rawValue: value)
            }
        }
        return table
    }()
}
