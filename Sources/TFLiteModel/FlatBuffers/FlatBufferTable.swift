/// A bounds-checked view of one FlatBuffer table.
///
/// Fields are addressed by their id (the slot number in the schema: a union takes two ids, its
/// `_type` field first). Reads check every offset against the buffer and throw
/// ``FlatBufferError`` instead of leaving it.
package struct FlatBufferTable: @unchecked Sendable {
    /// The whole buffer the table lives in.
    package let buffer: UnsafeRawBufferPointer
    /// The table's position in `buffer`.
    package let position: Int

    /// The root table of a FlatBuffer.
    package init(root buffer: UnsafeRawBufferPointer) throws(FlatBufferError) {
        self.buffer = buffer
        let offset = Int(try buffer.readLE(UInt32.self, at: 0, what: "root offset"))
        self.position = offset
        _ = try vtable()
    }

    init(buffer: UnsafeRawBufferPointer, position: Int) throws(FlatBufferError) {
        self.buffer = buffer
        self.position = position
        _ = try vtable()
    }

    /// The vtable's position and size.
    private func vtable() throws(FlatBufferError) -> (position: Int, size: Int) {
        let relative = Int(try buffer.readLE(Int32.self, at: position, what: "table vtable offset"))
        let vtablePosition = position - relative
        let size = Int(try buffer.readLE(UInt16.self, at: vtablePosition, what: "vtable size"))
        guard size >= 4, vtablePosition + size <= buffer.count else {
            throw FlatBufferError(what: "vtable", offset: vtablePosition)
        }
        return (vtablePosition, size)
    }

    /// The absolute position of field `id`, or nil when the field is absent.
    package func fieldPosition(_ id: Int) throws(FlatBufferError) -> Int? {
        let (vtablePosition, size) = try vtable()
        let entry = 4 + 2 * id
        guard entry + 2 <= size else { return nil }
        let relative = Int(try buffer.readLE(UInt16.self, at: vtablePosition + entry, what: "vtable entry"))
        return relative == 0 ? nil : position + relative
    }

    /// Whether field `id` is present.
    package func has(_ id: Int) throws(FlatBufferError) -> Bool { try fieldPosition(id) != nil }

    /// A scalar field, or `defaultValue` when absent.
    package func scalar<T: FixedWidthInteger>(_ id: Int, default defaultValue: T) throws(FlatBufferError) -> T {
        guard let at = try fieldPosition(id) else { return defaultValue }
        return try buffer.readLE(T.self, at: at, what: "scalar field \(id)")
    }

    /// A `float` field, or `defaultValue` when absent.
    package func float(_ id: Int, default defaultValue: Float) throws(FlatBufferError) -> Float {
        guard let at = try fieldPosition(id) else { return defaultValue }
        return Float(bitPattern: try buffer.readLE(UInt32.self, at: at, what: "float field \(id)"))
    }

    /// A `bool` field, or `defaultValue` when absent.
    package func bool(_ id: Int, default defaultValue: Bool) throws(FlatBufferError) -> Bool {
        guard let at = try fieldPosition(id) else { return defaultValue }
        return try buffer.readLE(UInt8.self, at: at, what: "bool field \(id)") != 0
    }

    /// The position an offset field points to.
    private func target(_ id: Int) throws(FlatBufferError) -> Int? {
        guard let at = try fieldPosition(id) else { return nil }
        let relative = Int(try buffer.readLE(UInt32.self, at: at, what: "offset field \(id)"))
        let target = at + relative
        guard target < buffer.count else { throw FlatBufferError(what: "offset field \(id)", offset: at) }
        return target
    }

    /// A sub-table field, or nil when absent.
    package func table(_ id: Int) throws(FlatBufferError) -> FlatBufferTable? {
        guard let at = try target(id) else { return nil }
        return try FlatBufferTable(buffer: buffer, position: at)
    }

    /// A vector field, or nil when absent.
    package func vector(_ id: Int) throws(FlatBufferError) -> FlatBufferVector? {
        guard let at = try target(id) else { return nil }
        return try FlatBufferVector(buffer: buffer, lengthPosition: at)
    }

    /// A string field, or nil when absent. Invalid UTF-8 is repaired with replacement characters.
    package func string(_ id: Int) throws(FlatBufferError) -> String? {
        guard let vector = try vector(id) else { return nil }
        return String(decoding: try vector.bytes(elementSize: 1), as: UTF8.self)
    }
}

/// A bounds-checked view of one FlatBuffer vector.
package struct FlatBufferVector: @unchecked Sendable {
    package let buffer: UnsafeRawBufferPointer
    /// Position of the first element.
    package let start: Int
    /// Number of elements.
    package let count: Int

    init(buffer: UnsafeRawBufferPointer, lengthPosition: Int) throws(FlatBufferError) {
        self.buffer = buffer
        self.count = Int(try buffer.readLE(UInt32.self, at: lengthPosition, what: "vector length"))
        self.start = lengthPosition + 4
        guard start <= buffer.count else { throw FlatBufferError(what: "vector", offset: lengthPosition) }
    }

    /// The elements' bytes, for elements of `elementSize` bytes.
    package func bytes(elementSize: Int) throws(FlatBufferError) -> UnsafeRawBufferPointer {
        let (total, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow, total <= buffer.count - start else {
            throw FlatBufferError(what: "vector of \(count) elements", offset: start)
        }
        return UnsafeRawBufferPointer(rebasing: buffer[start..<(start + total)])
    }

    /// The range the elements occupy in the buffer.
    package func byteRange(elementSize: Int) throws(FlatBufferError) -> Range<Int> {
        let region = try bytes(elementSize: elementSize)
        return start..<(start + region.count)
    }

    /// Element `index` of a scalar vector.
    package func scalar<T: FixedWidthInteger>(at index: Int, as type: T.Type = T.self) throws(FlatBufferError) -> T {
        guard index >= 0, index < count else { throw FlatBufferError(what: "vector index \(index)", offset: start) }
        return try buffer.readLE(T.self, at: start + index * MemoryLayout<T>.size, what: "vector element")
    }

    /// All elements of a scalar vector.
    package func scalars<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(FlatBufferError) -> [T] {
        _ = try bytes(elementSize: MemoryLayout<T>.size)
        var result: [T] = []
        result.reserveCapacity(count)
        for index in 0..<count { result.append(try scalar(at: index)) }
        return result
    }

    /// All elements of a `float` vector.
    package func floats() throws(FlatBufferError) -> [Float] {
        try scalars(UInt32.self).map { Float(bitPattern: $0) }
    }

    /// Element `index` of a vector of tables.
    package func table(at index: Int) throws(FlatBufferError) -> FlatBufferTable {
        let slot = start + index * 4
        guard index >= 0, index < count else { throw FlatBufferError(what: "vector index \(index)", offset: start) }
        let relative = Int(try buffer.readLE(UInt32.self, at: slot, what: "table offset"))
        return try FlatBufferTable(buffer: buffer, position: slot + relative)
    }

    /// All elements of a vector of tables.
    package func tables() throws(FlatBufferError) -> [FlatBufferTable] {
        _ = try bytes(elementSize: 4)
        var result: [FlatBufferTable] = []
        result.reserveCapacity(count)
        for index in 0..<count { result.append(try table(at: index)) }
        return result
    }

    /// All elements of a vector of strings.
    package func strings() throws(FlatBufferError) -> [String] {
        _ = try bytes(elementSize: 4)
        var result: [String] = []
        for index in 0..<count {
            let slot = start + index * 4
            let relative = Int(try buffer.readLE(UInt32.self, at: slot, what: "string offset"))
            let string = try FlatBufferVector(buffer: buffer, lengthPosition: slot + relative)
            result.append(String(decoding: try string.bytes(elementSize: 1), as: UTF8.self))
        }
        return result
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a little-endian integer at `offset`, checking bounds.
    func readLE<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, what: String) throws(FlatBufferError) -> T {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else {
            throw FlatBufferError(what: what, offset: offset)
        }
        return T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
