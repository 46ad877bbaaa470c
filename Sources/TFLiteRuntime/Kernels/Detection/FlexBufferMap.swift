/// A FlexBuffer whose root is a map of scalars, as custom operators store their options
/// (`TFLite_Detection_PostProcess`: `max_detections`, `nms_iou_threshold`, …).
///
/// The whole map is decoded once, with every offset, length and key checked against the
/// bytes: truncated or hostile input throws ``FlexBufferError`` and never reads outside the
/// buffer. Scalar values (null, int, uint, float, bool, their indirect forms), strings and
/// typed vectors of integers (MediaPipe's `subset_idxs`) are kept; other vectors, maps and
/// blobs are recorded as ``Value/other(_:)``.
package struct FlexBufferMap: Sendable {
    /// One decoded value.
    package enum Value: Equatable, Sendable {
        case null
        case int(Int64)
        case uint(UInt64)
        case float(Double)
        case bool(Bool)
        case string(String)
        /// A typed vector of signed or unsigned integers (unsigned values above `Int64.max`
        /// wrap, as FlexBuffers' `AsInt64` does).
        case integers([Int64])
        /// A value of another FlexBuffer type (its type code), not decoded.
        case other(Int)

        /// The value as FlexBuffers' `AsInt64` converts it (floats truncate; null, strings and
        /// other types give 0).
        package var int64: Int64 {
            switch self {
            case .int(let value): return value
            case .uint(let value): return Int64(truncatingIfNeeded: value)
            case .float(let value):
                guard value.isFinite else { return 0 }
                if value >= 9.2e18 { return .max }
                if value <= -9.2e18 { return .min }
                return Int64(value)
            case .bool(let value): return value ? 1 : 0
            case .null, .string, .integers, .other: return 0
            }
        }

        /// `AsInt32`: the 64-bit value truncated to 32 bits, as a C++ cast does.
        package var int32: Int32 { Int32(truncatingIfNeeded: int64) }

        /// `AsFloat`.
        package var float: Float {
            switch self {
            case .int(let value): Float(value)
            case .uint(let value): Float(value)
            case .float(let value): Float(value)
            case .bool(let value): value ? 1 : 0
            case .null, .string, .integers, .other: 0
            }
        }

        /// `AsBool`: non-zero numbers are true.
        package var bool: Bool {
            switch self {
            case .bool(let value): value
            case .int(let value): value != 0
            case .uint(let value): value != 0
            case .float(let value): value != 0
            case .null, .string, .integers, .other: false
            }
        }
    }

    /// Values by key (the first occurrence wins if a key repeats).
    package private(set) var values: [String: Value] = [:]
    /// Keys in stored order.
    package private(set) var keys: [String] = []

    /// The value for `key`, nil when absent (FlexBuffers then reads it as null).
    package subscript(key: String) -> Value? { values[key] }

    /// Decodes `bytes`, whose root must be a map.
    package init(bytes: UnsafeRawBufferPointer) throws(FlexBufferError) {
        let reader = Reader(bytes: bytes)
        guard bytes.count >= 3 else { throw .truncated("a FlexBuffer needs at least 3 bytes, got \(bytes.count)") }
        let rootWidth = Int(try reader.byte(bytes.count - 1))
        guard [1, 2, 4, 8].contains(rootWidth) else { throw .malformed("root byte width \(rootWidth)") }
        let rootType = try reader.byte(bytes.count - 2)
        let rootPosition = bytes.count - 2 - rootWidth
        guard rootPosition >= 0 else { throw .truncated("the root value does not fit") }
        let root = Reference(position: rootPosition, parentWidth: rootWidth, packedType: rootType)
        guard root.type == FlexType.map else {
            throw .malformed("the root is not a map (type \(root.type))")
        }
        let mapPosition = try reader.indirect(root)
        let width = root.childWidth
        // Map prefix: keys offset, keys byte width, length — each `width` bytes.
        let keysField = mapPosition - 3 * width
        guard keysField >= 0 else { throw .truncated("map header before the buffer start") }
        let keysPosition = try reader.offsetTarget(at: keysField, width: width)
        let rawKeysWidth = try reader.unsigned(at: mapPosition - 2 * width, width: width)
        guard [1, 2, 4, 8].contains(rawKeysWidth) else { throw .malformed("keys byte width \(rawKeysWidth)") }
        let keysWidth = Int(rawKeysWidth)
        let count = try reader.length(at: mapPosition, width: width)
        let keyCount = try reader.length(at: keysPosition, width: keysWidth)
        guard keyCount == count else { throw .malformed("map has \(count) values but \(keyCount) keys") }
        // Values, then one packed type byte per value.
        let typesPosition = mapPosition + count * width
        guard count <= bytes.count, typesPosition + count <= bytes.count else {
            throw .truncated("map of \(count) values runs past the end")
        }
        for index in 0..<count {
            let key = try reader.string(at: try reader.offsetTarget(at: keysPosition + index * keysWidth, width: keysWidth))
            let packed = try reader.byte(typesPosition + index)
            let value = try reader.value(Reference(position: mapPosition + index * width, parentWidth: width, packedType: packed))
            if values[key] == nil {
                values[key] = value
                keys.append(key)
            }
        }
    }

    // MARK: Decoding

    private enum FlexType {
        static let null = 0, int = 1, uint = 2, float = 3, key = 4, string = 5
        static let indirectInt = 6, indirectUInt = 7, indirectFloat = 8, map = 9, bool = 26
        static let vectorInt = 11, vectorUInt = 12
        /// Fixed-length typed vectors: (type, element count, signed).
        static let fixedIntegerVectors: [Int: (count: Int, signed: Bool)] = [
            16: (2, true), 17: (2, false), 19: (3, true), 20: (3, false), 22: (4, true), 23: (4, false),
        ]
    }

    private struct Reference {
        var position: Int
        var parentWidth: Int
        var packedType: UInt8
        var type: Int { Int(packedType >> 2) }
        /// Width of the referenced data (for offsets to vectors, maps and indirect scalars).
        var childWidth: Int { 1 << Int(packedType & 3) }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer

        func byte(_ position: Int) throws(FlexBufferError) -> UInt8 {
            guard position >= 0, position < bytes.count else { throw .truncated("byte \(position) is outside the \(bytes.count) bytes") }
            return bytes[position]
        }

        func unsigned(at position: Int, width: Int) throws(FlexBufferError) -> UInt64 {
            guard position >= 0, width > 0, position <= bytes.count - width else {
                throw .truncated("\(width)-byte value at \(position) is outside the \(bytes.count) bytes")
            }
            var value: UInt64 = 0
            for index in 0..<width {
                value |= UInt64(bytes[position + index]) << UInt64(8 * index)
            }
            return value
        }

        func signed(at position: Int, width: Int) throws(FlexBufferError) -> Int64 {
            let raw = try unsigned(at: position, width: width)
            let shift = UInt64(64 - 8 * width)
            return Int64(bitPattern: raw << shift) >> Int64(shift)
        }

        func double(at position: Int, width: Int) throws(FlexBufferError) -> Double {
            switch width {
            case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: try unsigned(at: position, width: 4))))
            case 8: return Double(bitPattern: try unsigned(at: position, width: 8))
            default: throw .malformed("a float of \(width) bytes")
            }
        }

        /// The position an offset field points at (offsets count backwards from the field).
        func offsetTarget(at position: Int, width: Int) throws(FlexBufferError) -> Int {
            let offset = try unsigned(at: position, width: width)
            guard offset <= UInt64(position) else { throw .malformed("offset \(offset) at \(position) points before the buffer") }
            return position - Int(offset)
        }

        func indirect(_ reference: Reference) throws(FlexBufferError) -> Int {
            try offsetTarget(at: reference.position, width: reference.parentWidth)
        }

        /// The element count stored just before a vector or map at `position`.
        func length(at position: Int, width: Int) throws(FlexBufferError) -> Int {
            let value = try unsigned(at: position - width, width: width)
            guard value <= UInt64(bytes.count) else { throw .malformed("length \(value) exceeds the buffer") }
            return Int(value)
        }

        /// A NUL-terminated UTF-8 string starting at `position`.
        func string(at position: Int) throws(FlexBufferError) -> String {
            guard position >= 0, position < bytes.count else { throw .truncated("key at \(position) is outside the buffer") }
            var end = position
            while end < bytes.count, bytes[end] != 0 { end += 1 }
            guard end < bytes.count else { throw .truncated("key at \(position) has no terminating NUL") }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
        }

        /// `count` integers of `width` bytes from `position`, all inside the buffer.
        func integers(at position: Int, count: Int, width: Int, signed: Bool) throws(FlexBufferError) -> [Int64] {
            guard count <= bytes.count / width, position >= 0, position <= bytes.count - count * width else {
                throw .truncated("vector of \(count) values runs past the end")
            }
            var values: [Int64] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                let at = position + index * width
                values.append(signed ? try self.signed(at: at, width: width) : Int64(truncatingIfNeeded: try unsigned(at: at, width: width)))
            }
            return values
        }

        func value(_ reference: Reference) throws(FlexBufferError) -> Value {
            let width = reference.parentWidth
            switch reference.type {
            case FlexType.null: return .null
            case FlexType.int: return .int(try signed(at: reference.position, width: width))
            case FlexType.uint: return .uint(try unsigned(at: reference.position, width: width))
            case FlexType.float: return .float(try double(at: reference.position, width: width))
            case FlexType.bool: return .bool(try unsigned(at: reference.position, width: width) != 0)
            case FlexType.indirectInt:
                return .int(try signed(at: try indirect(reference), width: reference.childWidth))
            case FlexType.indirectUInt:
                return .uint(try unsigned(at: try indirect(reference), width: reference.childWidth))
            case FlexType.indirectFloat:
                return .float(try double(at: try indirect(reference), width: reference.childWidth))
            case FlexType.string:
                let position = try indirect(reference)
                let count = try length(at: position, width: reference.childWidth)
                guard position + count < bytes.count else { throw .truncated("string runs past the end") }
                return .string(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]), as: UTF8.self))
            case FlexType.vectorInt, FlexType.vectorUInt:
                let position = try indirect(reference)
                let count = try length(at: position, width: reference.childWidth)
                return .integers(try integers(at: position, count: count, width: reference.childWidth, signed: reference.type == FlexType.vectorInt))
            default:
                if let fixed = FlexType.fixedIntegerVectors[reference.type] {
                    return .integers(try integers(at: try indirect(reference), count: fixed.count, width: reference.childWidth, signed: fixed.signed))
                }
                return .other(reference.type)
            }
        }
    }
}

/// Why FlexBuffer bytes could not be decoded.
package enum FlexBufferError: Error, Equatable, CustomStringConvertible {
    /// A read would go past the end (or before the start) of the bytes.
    case truncated(String)
    /// The bytes are in range but do not form a valid FlexBuffer map.
    case malformed(String)

    package var description: String {
        switch self {
        case .truncated(let reason): "truncated FlexBuffer: \(reason)"
        case .malformed(let reason): "malformed FlexBuffer: \(reason)"
        }
    }
}
