/// A growing little-endian byte buffer with explicit alignment, used to lay out the small
/// FlatBuffer prefix and the zip records that `populate` writes.
package struct ByteWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package var count: Int { bytes.count }

    package mutating func append(_ byte: UInt8) { bytes.append(byte) }

    package mutating func append<S: Sequence>(contentsOf sequence: S) where S.Element == UInt8 {
        bytes.append(contentsOf: sequence)
    }

    package mutating func append(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    package mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func appendZeros(_ count: Int) {
        bytes.append(contentsOf: repeatElement(0, count: count))
    }

    /// Pads with zeros until `(count + offset) % alignment == 0`.
    package mutating func pad(toMultipleOf alignment: Int, offset: Int = 0) {
        let remainder = (count + offset) % alignment
        if remainder != 0 { appendZeros(alignment - remainder) }
    }

    /// Overwrites a little-endian integer at `position` (already written).
    package mutating func set<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[position + index] = byte }
        }
    }
}

extension UnsafeRawBufferPointer {
    /// A little-endian integer at `offset`, or nil when it would leave the buffer.
    package func littleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T? {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return nil }
        return T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
