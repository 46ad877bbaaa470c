/// Writes a FlatBuffer front to back: a parent before its children, each offset slot written
/// as a placeholder and patched once its target is placed (FlatBuffers offsets only point
/// forward, which this order satisfies). Positions are absolute in the buffer, so alignment is
/// relative to the buffer's start, as verifiers check it.
///
/// Identical vtables are written once and shared. The same calls give the same bytes.
package struct FlatBufferBuilder {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8] = []
    private var vtables: [[UInt8]: Int] = [:]

    /// A builder whose storage is reserved for `capacity` bytes.
    package init(capacity: Int = 0) {
        bytes.reserveCapacity(max(0, capacity))
    }

    /// The number of bytes written.
    package var count: Int { bytes.count }

    /// Appends zeros until `(count + offset)` is a multiple of `alignment` (a power of two).
    package mutating func pad(toMultipleOf alignment: Int, offset: Int = 0) {
        guard alignment > 1 else { return }
        let misalignment = (count + offset) & (alignment - 1)
        if misalignment != 0 { bytes.append(contentsOf: repeatElement(0, count: alignment - misalignment)) }
    }

    /// Appends `value` little-endian.
    package mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    package mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Overwrites the bytes at `position` with `value` little-endian.
    package mutating func set<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[position + index] = byte }
        }
    }

    /// Points the offset slot at `slot` to `target` (which must come after it).
    package mutating func patch(slot: Int, to target: Int) {
        set(UInt32(target - slot), at: slot)
    }

    /// Appends a 4-byte offset placeholder; returns its position.
    package mutating func offsetSlot() -> Int {
        pad(toMultipleOf: 4)
        let slot = count
        append(UInt32(0))
        return slot
    }

    /// An inline field of a table being written: its id, its size and alignment, and its bytes
    /// (nil for an offset to patch later, 4 bytes).
    package struct InlineField {
        package var id: Int
        package var size: Int
        package var alignment: Int
        package var value: [UInt8]?

        package init(id: Int, size: Int, alignment: Int, value: [UInt8]?) {
            self.id = id
            self.size = size
            self.alignment = alignment
            self.value = value
        }

        /// An offset field, patched later.
        package static func offset(_ id: Int) -> InlineField {
            InlineField(id: id, size: 4, alignment: 4, value: nil)
        }
    }

    /// Writes a table (its vtable first unless an identical one exists) with `fields`, largest
    /// alignment first. Returns the table's position and the position of each field (offset
    /// fields are to be patched with ``patch(slot:to:)``).
    package mutating func table(_ fields: [InlineField]) -> (position: Int, fieldPositions: [Int: Int]) {
        let ordered = fields.enumerated().sorted {
            ($0.element.alignment, -$0.offset) > ($1.element.alignment, -$1.offset)
        }.map(\.element)
        let alignment = max(4, ordered.first?.alignment ?? 4)
        // Relative layout: soffset (4 bytes) at 0, then fields in order, each aligned; the table
        // starts at a multiple of the largest alignment, so relative alignment is absolute.
        var relative: [Int: Int] = [:]
        var size = 4
        for field in ordered {
            let fieldAlignment = max(1, field.alignment)
            size = (size + fieldAlignment - 1) / fieldAlignment * fieldAlignment
            relative[field.id] = size
            size += field.size
        }
        let slots = (fields.map(\.id).max() ?? -1) + 1
        var vtable: [UInt8] = []
        vtable.reserveCapacity(4 + 2 * slots)
        func put16(_ value: Int) { vtable.append(UInt8(value & 0xFF)); vtable.append(UInt8((value >> 8) & 0xFF)) }
        put16(4 + 2 * slots)
        put16(size)
        for id in 0..<slots { put16(relative[id] ?? 0) }

        var vtablePosition: Int
        if let existing = vtables[vtable] {
            vtablePosition = existing
        } else {
            pad(toMultipleOf: 2)
            vtablePosition = count
            bytes.append(contentsOf: vtable)
            vtables[vtable] = vtablePosition
        }
        // The table itself: soffset at a position aligned for its fields.
        pad(toMultipleOf: alignment)
        let position = count
        append(Int32(position - vtablePosition))
        bytes.append(contentsOf: repeatElement(0, count: size - 4))
        var positions: [Int: Int] = [:]
        for field in ordered {
            guard let at = relative[field.id] else { continue }
            positions[field.id] = position + at
            if let value = field.value {
                for (index, byte) in value.prefix(field.size).enumerated() { bytes[position + at + index] = byte }
            }
        }
        return (position, positions)
    }

    /// Appends a vector header for `count` elements whose data starts aligned to `alignment`,
    /// and `byteCount` zero bytes for the elements; returns the vector's position (its length
    /// field) and where its elements start.
    package mutating func vector(count elementCount: Int, byteCount: Int, alignment: Int) -> (position: Int, start: Int) {
        pad(toMultipleOf: 4)
        pad(toMultipleOf: max(4, alignment), offset: 4)
        let position = count
        append(UInt32(truncatingIfNeeded: elementCount))
        let start = count
        bytes.append(contentsOf: repeatElement(0, count: byteCount))
        return (position, start)
    }

    /// Appends a vector of raw element bytes; returns its position.
    package mutating func vector(count elementCount: Int, bytes raw: UnsafeRawBufferPointer, alignment: Int) -> Int {
        pad(toMultipleOf: 4)
        pad(toMultipleOf: max(4, alignment), offset: 4)
        let position = count
        append(UInt32(truncatingIfNeeded: elementCount))
        bytes.append(contentsOf: raw)
        return position
    }

    /// Appends a string (length, UTF-8 bytes, NUL); returns its position.
    package mutating func string(_ utf8: UnsafeRawBufferPointer) -> Int {
        pad(toMultipleOf: 4)
        let position = count
        append(UInt32(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
        bytes.append(0)
        return position
    }

    /// Lets `body` fill `range` of the bytes in place.
    package mutating func withMutableBytes<R>(in range: Range<Int>, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeMutableBytes { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[range]))
        }
    }

    /// Gives the bytes up.
    package mutating func finish() -> [UInt8] {
        let result = bytes
        bytes = []
        vtables = [:]
        return result
    }
}
