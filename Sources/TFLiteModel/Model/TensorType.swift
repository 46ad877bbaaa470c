/// The element type of a tensor (`tflite.TensorType`).
///
/// A struct rather than an enum so that types added to the format later are still readable.
public struct TensorType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    /// `FLOAT32` in the schema.
    public static let float32 = TensorType(rawValue: 0)
    /// `FLOAT16` in the schema.
    public static let float16 = TensorType(rawValue: 1)
    /// `INT32` in the schema.
    public static let int32 = TensorType(rawValue: 2)
    /// `UINT8` in the schema.
    public static let uint8 = TensorType(rawValue: 3)
    /// `INT64` in the schema.
    public static let int64 = TensorType(rawValue: 4)
    /// `STRING` in the schema.
    public static let string = TensorType(rawValue: 5)
    /// `BOOL` in the schema.
    public static let bool = TensorType(rawValue: 6)
    /// `INT16` in the schema.
    public static let int16 = TensorType(rawValue: 7)
    /// `COMPLEX64` in the schema.
    public static let complex64 = TensorType(rawValue: 8)
    /// `INT8` in the schema.
    public static let int8 = TensorType(rawValue: 9)
    /// `FLOAT64` in the schema.
    public static let float64 = TensorType(rawValue: 10)
    /// `COMPLEX128` in the schema.
    public static let complex128 = TensorType(rawValue: 11)
    /// `UINT64` in the schema.
    public static let uint64 = TensorType(rawValue: 12)
    /// `RESOURCE` in the schema.
    public static let resource = TensorType(rawValue: 13)
    /// `VARIANT` in the schema.
    public static let variant = TensorType(rawValue: 14)
    /// `UINT32` in the schema.
    public static let uint32 = TensorType(rawValue: 15)
    /// `UINT16` in the schema.
    public static let uint16 = TensorType(rawValue: 16)
    /// `INT4` in the schema.
    public static let int4 = TensorType(rawValue: 17)
    /// `BFLOAT16` in the schema.
    public static let bfloat16 = TensorType(rawValue: 18)

    /// The schema's name, e.g. `FLOAT32`, or `TYPE_<n>` for a value the schema does not know.
    public var name: String {
        Self.schemaNames[rawValue] ?? "TYPE_\(rawValue)"
    }

    /// Lower-case name as NumPy and people write it (`float32`, `int8`, …).
    public var description: String { name.lowercased() }

    /// Bytes per element for fixed-size types; nil for strings, resources, variants and 4-bit ints.
    public var byteWidth: Int? {
        switch self {
        case .bool, .int8, .uint8: 1
        case .float16, .int16, .uint16, .bfloat16: 2
        case .float32, .int32, .uint32: 4
        case .float64, .int64, .uint64, .complex64: 8
        case .complex128: 16
        default: nil
        }
    }
}
