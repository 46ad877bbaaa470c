#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A NumPy `.npy` array (format versions 1–3, C order, little-endian): read and write, for
/// model inputs and reference outputs kept as NumPy files.
public struct NumPyArray: Equatable, Sendable {
    /// The element type.
    public var type: TensorType
    /// The size of each dimension, outermost first.
    public var shape: [Int]
    /// Little-endian element bytes in C order.
    public var data: Data

    /// An array of `type` elements in `shape`, stored in `data` (little-endian, C order).
    public init(type: TensorType, shape: [Int], data: Data) {
        self.type = type
        self.shape = shape
        self.data = data
    }

    /// Why a `.npy` file could not be read.
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        /// What is wrong, naming the file.
        public let description: String
    }

    /// The NumPy dtype descriptor of each supported type.
    static let descriptors: [(String, TensorType)] = [
        ("<f4", .float32), ("<f2", .float16), ("<f8", .float64), ("|i1", .int8), ("|u1", .uint8),
        ("<i2", .int16), ("<u2", .uint16), ("<i4", .int32), ("<u4", .uint32), ("<i8", .int64), ("<u8", .uint64),
        ("|b1", .bool),
    ]

    /// Parses `.npy` bytes.
    public init(npy bytes: Data, source: String = "<memory>") throws(FormatError) {
        let layout = try NumPyLayout(prefix: bytes, source: source)
        let payloadStart = bytes.startIndex + layout.payloadOffset
        guard bytes.endIndex - payloadStart == layout.payloadByteCount else {
            throw FormatError(description: "\(source): data holds \(bytes.endIndex - payloadStart) bytes, \(layout.shapeDescription) needs \(layout.payloadByteCount)")
        }
        let (type, shape) = (layout.type, layout.shape)
        self.init(type: type, shape: shape, data: Data(bytes[payloadStart...]))
    }

    /// Reads a `.npy` file: a regular file (a FIFO, device or directory is refused without
    /// blocking) of at most `limit` bytes. `role` names the argument in errors (`--input`).
    public init(contentsOf path: String, role: String? = nil, limit: Int = Interpreter.Options.defaultMemoryLimit) throws(FormatError) {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, role: role, limit: limit, what: ".npy inputs (the memory limit)") } catch {
            throw FormatError(description: error.description)
        }
        try self.init(npy: Data(bytes), source: role.map { "\(path): \($0)" } ?? path)
    }

    /// The `.npy` (version 1.0) encoding.
    public func npyData() throws(FormatError) -> Data {
        guard let descr = Self.descriptors.first(where: { $0.1 == type })?.0 else {
            throw FormatError(description: "cannot write \(type) arrays as .npy")
        }
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = header.utf8.count
        out.append(UInt8(length & 0xff))
        out.append(UInt8(length >> 8))
        out.append(Data(header.utf8))
        out.append(data)
        return out
    }

    /// Elements converted to Double (for comparisons and printing).
    public func doubles() -> [Double] {
        data.withUnsafeBytes { raw -> [Double] in
            let count = shape.reduce(1, *)
            func load<T>(_: T.Type, _ convert: (T) -> Double) -> [Double] {
                (0..<count).map { convert(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
            switch type {
            case .float32: return load(Float.self) { Double($0) }
            case .float64: return load(Double.self) { $0 }
            case .float16: return load(UInt16.self) { Double(Float(Float16(bitPattern: $0))) }
            case .int8: return load(Int8.self) { Double($0) }
            case .uint8, .bool: return load(UInt8.self) { Double($0) }
            case .int16: return load(Int16.self) { Double($0) }
            case .uint16: return load(UInt16.self) { Double($0) }
            case .int32: return load(Int32.self) { Double($0) }
            case .uint32: return load(UInt32.self) { Double($0) }
            case .int64: return load(Int64.self) { Double($0) }
            case .uint64: return load(UInt64.self) { Double($0) }
            default: return []
            }
        }
    }
}
