/// Checks that untrusted bytes are a well-formed buffer of a schema before anything reads them,
/// with the checks and limits of the FlatBuffers library's verifier (what `flatc`-built readers
/// and tflite-support run), so that both accept exactly the same buffers:
///
/// - the buffer: at least 8 bytes, the schema's file identifier at bytes 4–7, at most 2 GiB − 2
///   bytes considered (a FlatBuffer cannot address more; data past that is not part of it);
/// - a table: its offset 4-byte aligned and in bounds; its vtable (table position minus the
///   signed offset stored there) 2-byte aligned, of even size, wholly in bounds;
/// - a field present in the vtable: scalars aligned to their size and in bounds; offsets to
///   strings and vectors 4-byte aligned and in bounds; structs aligned and in bounds;
/// - a vector: its length 4-byte aligned and in bounds, fewer than (2³¹ − 1) / element size
///   elements (so the byte size cannot overflow), every byte in bounds;
/// - a string: a vector of bytes followed by a NUL byte in bounds;
/// - a union: its type byte 0 (NONE; the value is then ignored) or a member's type, whose table
///   must be present and valid;
/// - `required` fields present;
/// - at most ``maxDepth`` nested tables and ``maxTables`` tables visited in all (a table reached
///   twice counts twice).
///
/// "In bounds" is the library's test: a range of `n` bytes at `offset` needs `n < size` and
/// `offset ≤ size − n`. Every read this type makes is bounds-checked first, so it needs no
/// readable bytes past the buffer; FuzzTesting's `FuzzVerifier` compares its verdicts with the
/// library's on the same bytes.
package struct FlatBufferVerifier: Sendable {
    /// The schema's layout.
    package let layout: FlatBufferLayout
    /// Deepest nesting of tables allowed (the root is depth 1).
    package var maxDepth: Int
    /// Most tables visited in one verification.
    package var maxTables: Int

    /// The largest buffer a FlatBuffer can address (2³¹ − 1 bytes); bytes from `maximumSize - 1`
    /// on are outside any FlatBuffer.
    package static let maximumSize = Int(Int32.max)

    package init(_ layout: FlatBufferLayout, maxDepth: Int = 64, maxTables: Int = 1_000_000) {
        self.layout = layout
        self.maxDepth = maxDepth
        self.maxTables = maxTables
    }

    /// Why `bytes` is not a valid buffer of the schema.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        /// The field at fault, as a path from the root (`subgraphs[0].tensors[3].name`); empty
        /// for the buffer itself.
        package var path: String
        /// What is wrong.
        package var reason: String

        package var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

        /// This failure inside `component` (a field name or `[index]`).
        func inside(_ component: String) -> Failure {
            var copy = self
            if copy.path.isEmpty || copy.path.hasPrefix("[") {
                copy.path = component + copy.path
            } else {
                copy.path = component + "." + copy.path
            }
            return copy
        }
    }

    /// Verifies `bytes`: nothing when they are a valid buffer of the schema.
    package func verify(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        guard bytes.count >= 8, let base = bytes.baseAddress else {
            throw Failure(path: "", reason: "too small to be a FlatBuffer (\(bytes.count) bytes)")
        }
        let identifier = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[4..<8]), as: UTF8.self)
        guard identifier == layout.fileIdentifier else {
            let printable = identifier.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
            throw Failure(path: "", reason: "wrong file identifier \(printable ? "\"\(identifier)\"" : "(binary)"), expected \"\(layout.fileIdentifier)\"")
        }
        var walk = Walk(base: base, size: min(bytes.count, Self.maximumSize - 1), layout: layout,
                        maxDepth: maxDepth, maxTables: maxTables)
        try walk.table(layout.root, at: Int(walk.offset(at: 0)))
    }

    /// Verifies `bytes`; nil when valid, otherwise what is wrong.
    package func problem(in bytes: UnsafeRawBufferPointer) -> Failure? {
        do { try verify(bytes) } catch { return error }
        return nil
    }
}

/// One verification's state: the buffer and the depth and table counts.
private struct Walk {
    let base: UnsafeRawPointer
    /// Bytes considered (at least 8).
    let size: Int
    let layout: FlatBufferLayout
    let maxDepth: Int
    let maxTables: Int
    var depth = 0
    var tables = 0

    /// `length` bytes at `offset` are inside the buffer (the library's test, `length < size`
    /// included).
    @inline(__always) func inBounds(_ offset: Int, _ length: Int) -> Bool {
        length < size && offset >= 0 && offset <= size - length
    }

    @inline(__always) func aligned(_ offset: Int, _ alignment: Int) -> Bool {
        offset & (alignment - 1) == 0
    }

    /// The unsigned 32-bit value at `offset` (checked in bounds by the caller).
    @inline(__always) func offset(at offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    func fail(_ reason: String) -> FlatBufferVerifier.Failure {
        FlatBufferVerifier.Failure(path: "", reason: reason)
    }

    /// Verifies the table of layout `index` at `position`, and everything it refers to.
    mutating func table(_ index: Int, at position: Int) throws(FlatBufferVerifier.Failure) {
        let table = layout.tables[index]
        guard aligned(position, 4), inBounds(position, 4) else {
            throw fail("\(table.name) table at byte \(position) is \(aligned(position, 4) ? "out of bounds" : "misaligned")")
        }
        let vtable = position - Int(Int32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: Int32.self)))
        depth += 1
        tables += 1
        guard depth <= maxDepth else { throw fail("tables nested more than \(maxDepth) deep") }
        guard tables <= maxTables else { throw fail("more than \(maxTables) tables") }
        guard aligned(vtable, 2), inBounds(vtable, 2) else {
            throw fail("\(table.name) table's vtable at byte \(vtable) is \(aligned(vtable, 2) ? "out of bounds" : "misaligned")")
        }
        let vtableSize = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: vtable, as: UInt16.self)))
        guard vtableSize & 1 == 0, inBounds(vtable, vtableSize) else {
            throw fail("\(table.name) table's vtable size \(vtableSize) is \(vtableSize & 1 == 0 ? "out of bounds" : "odd")")
        }
        for field in table.fields {
            let slot = field.vtableOffset < vtableSize
                ? Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: vtable + field.vtableOffset, as: UInt16.self)))
                : 0
            do {
                try self.field(field, table: position, vtable: vtable, vtableSize: vtableSize, slot: slot)
            } catch {
                throw error.inside(field.name)
            }
        }
        depth -= 1
    }

    /// Verifies `field` of the table at `table`, stored `slot` bytes into it (0: absent).
    mutating func field(_ field: FlatBufferLayout.Field, table: Int, vtable: Int, vtableSize: Int,
                        slot: Int) throws(FlatBufferVerifier.Failure) {
        let position = table + slot
        if slot == 0 {
            guard !field.isRequired else { throw fail("a required field is missing") }
            if case .union = field.kind {} else { return }
        }
        switch field.kind {
        case .scalar(let size):
            try check(position, size: size, alignment: size, "the value")
        case .structure(let size, let alignment):
            try check(position, size: size, alignment: alignment, "the struct")
        case .string:
            try check(position, size: 4, alignment: 4, "the string's offset")
            try string(at: position + Int(offset(at: position)))
        case .table(let index):
            // The library reads the offset to a table without checking the offset's own
            // alignment; an offset past the end always gives a table past the end.
            guard inBounds(position, 4) else { throw fail("the table's offset at byte \(position) is out of bounds") }
            try self.table(index, at: position + Int(offset(at: position)))
        case .union(let members):
            // The type is the field before: verified (as a one-byte scalar) on its own.
            let typeOffset = field.vtableOffset - 2
            let typeSlot = typeOffset < vtableSize
                ? Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: vtable + typeOffset, as: UInt16.self)))
                : 0
            var type = 0
            if typeSlot != 0 {
                guard inBounds(table + typeSlot, 1) else { throw fail("the union's type at byte \(table + typeSlot) is out of bounds") }
                type = Int(base.load(fromByteOffset: table + typeSlot, as: UInt8.self))
            }
            guard type != 0 else { return }
            guard type < members.count, let member = members[type] else { throw fail("unknown union type \(type)") }
            guard slot != 0 else { throw fail("union type \(type) without a value") }
            guard inBounds(position, 4) else { throw fail("the union value's offset at byte \(position) is out of bounds") }
            try self.table(member, at: position + Int(offset(at: position)))
        case .vectorOfScalars(let size):
            try check(position, size: 4, alignment: 4, "the vector's offset")
            _ = try vector(at: position + Int(offset(at: position)), elementSize: size)
        case .vectorOfStructs(let size):
            try check(position, size: 4, alignment: 4, "the vector's offset")
            _ = try vector(at: position + Int(offset(at: position)), elementSize: size)
        case .vectorOfStrings:
            try check(position, size: 4, alignment: 4, "the vector's offset")
            let start = position + Int(offset(at: position))
            let count = try vector(at: start, elementSize: 4)
            for index in 0..<count {
                let element = start + 4 + 4 * index
                do {
                    try string(at: element + Int(offset(at: element)))
                } catch {
                    throw error.inside("[\(index)]")
                }
            }
        case .vectorOfTables(let member):
            try check(position, size: 4, alignment: 4, "the vector's offset")
            let start = position + Int(offset(at: position))
            let count = try vector(at: start, elementSize: 4)
            for index in 0..<count {
                let element = start + 4 + 4 * index
                do {
                    try self.table(member, at: element + Int(offset(at: element)))
                } catch {
                    throw error.inside("[\(index)]")
                }
            }
        }
    }

    func check(_ position: Int, size: Int, alignment: Int, _ what: String) throws(FlatBufferVerifier.Failure) {
        guard aligned(position, alignment) else { throw fail("\(what) at byte \(position) is misaligned") }
        guard inBounds(position, size) else { throw fail("\(what) at byte \(position) is out of bounds") }
    }

    /// Verifies the vector at `position`; returns its length.
    func vector(at position: Int, elementSize: Int) throws(FlatBufferVerifier.Failure) -> Int {
        try check(position, size: 4, alignment: 4, "the vector")
        let count = Int(offset(at: position))
        guard count < FlatBufferVerifier.maximumSize / elementSize else {
            throw fail("a vector of \(count) elements is too long")
        }
        guard inBounds(position, 4 + elementSize * count) else {
            throw fail("the vector at byte \(position) (\(count) elements) is out of bounds")
        }
        return count
    }

    /// Verifies the string at `position`: a vector of bytes, then a NUL.
    func string(at position: Int) throws(FlatBufferVerifier.Failure) {
        let end = position + 4 + (try vector(at: position, elementSize: 1))
        guard inBounds(end, 1) else { throw fail("the string at byte \(position) has no terminator") }
        guard base.load(fromByteOffset: end, as: UInt8.self) == 0 else {
            throw fail("the string at byte \(position) is not NUL-terminated")
        }
    }
}

extension FlatBufferVerifier {
    /// The verifier of TFLite models (`schemas/tflite.fbs`), with the table limit the model
    /// reader has always used (10 million: a model may hold a table per tensor and operator).
    package static let model = FlatBufferVerifier(.tflite, maxTables: 10_000_000)
    /// The verifier of TFLite metadata (`schemas/metadata.fbs`), with the library's limits.
    package static let metadata = FlatBufferVerifier(.metadata)
}
