/// The element type of a tensor (`tflite.TensorType`).
///
/// A struct rather than an enum so that types added to the format later are still readable.
public struct TensorType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let float32 = TensorType(rawValue: 0)
    public static let float16 = TensorType(rawValue: 1)
    public static let int32 = TensorType(rawValue: 2)
    public static let uint8 = TensorType(rawValue: 3)
    public static let int64 = TensorType(rawValue: 4)
    public static let string = TensorType(rawValue: 5)
    public static let bool = TensorType(rawValue: 6)
    public static let int16 = TensorType(rawValue: 7)
    public static let complex64 = TensorType(rawValue: 8)
    public static let int8 = TensorType(rawValue: 9)
    public static let float64 = TensorType(rawValue: 10)
    public static let complex128 = TensorType(rawValue: 11)
    public static let uint64 = TensorType(rawValue: 12)
    public static let resource = TensorType(rawValue: 13)
    public static let variant = TensorType(rawValue: 14)
    public static let uint32 = TensorType(rawValue: 15)
    public static let uint16 = TensorType(rawValue: 16)
    public static let int4 = TensorType(rawValue: 17)
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
