/// Serializes ``TableValue`` trees into a ``FlatBufferBuilder``: set fields as given, the rest
/// copied from the input table by the schema layout (scalars and structs byte for byte, strings,
/// vectors, tables and union members recursively).
///
/// A source table with a vtable slot the schema does not know is refused (its kind, and so how
/// to copy it, is unknown), naming the file and the field path.
package struct TableWriter {
    package var builder: FlatBufferBuilder
    /// The input file's name, for errors.
    let file: String
    /// Slots of `blobOffset` fields: position in the output and blob index.
    package private(set) var blobSlots: [(slot: Int, blob: Int)] = []
    /// Tables deeper than this are refused (the verifier's own limit is 64).
    static let maxDepth = 64
    /// Called with input bytes once they are copied (the rewriter lets their pages go, so the
    /// mapped input does not stay resident beside the output).
    package var copied: (UnsafeRawBufferPointer) -> Void = { _ in }

    package init(file: String, capacity: Int) {
        self.file = file
        builder = FlatBufferBuilder(capacity: capacity)
    }

    private func fail(_ path: String, _ reason: String) -> ModelError {
        ModelError(file: file, field: path, reason: reason)
    }

    /// Writes the root: offset, file identifier, then `root`.
    package mutating func writeRoot(_ root: TableValue, identifier: String) throws(ModelError) {
        let slot = builder.offsetSlot()
        for byte in identifier.utf8.prefix(4) { builder.append(byte) }
        let position = try write(root, path: "", depth: 0)
        builder.patch(slot: slot, to: position)
    }

    /// Writes `table` and everything it refers to; returns its position.
    package mutating func write(_ table: TableValue, path: String, depth: Int) throws(ModelError) -> Int {
        guard depth < Self.maxDepth else { throw fail(path, "tables nest deeper than \(Self.maxDepth)") }
        do {
            return try writeTable(table, path: path, depth: depth)
        } catch let error as FlatBufferError {
            throw fail(path, error.description)
        } catch let error as ModelError {
            throw error
        } catch {
            throw fail(path, "\(error)")
        }
    }

    /// What to write for one field.
    private enum Planned {
        case value(FlatValue)
        case copy(Int)  // position of the field in the source
    }

    private func fieldPath(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    private mutating func writeTable(_ table: TableValue, path: String, depth: Int) throws -> Int {
        let layout = table.layout
        var planned: [(field: SchemaLayout.Field, what: Planned)] = []
        if let source = table.source {
            try Self.refuseUnknownFields(source, layout: layout) { id throws(ModelError) in
                throw fail(fieldPath(path, "\(layout.name) field \(id)"),
                           "the table has a field this tool does not know; refusing to rewrite the model (the field could not be kept)")
            }
        }
        for field in layout.fields {
            if let set = table.fields[field.id] {
                if let value = set { planned.append((field, .value(value))) }
            } else if let source = table.source, let at = try source.fieldPosition(field.id) {
                planned.append((field, .copy(at)))
            }
        }

        // Inline part.
        var inline: [FlatBufferBuilder.InlineField] = []
        for (field, what) in planned {
            switch (field.kind, what) {
            case (.scalar(let scalar), .value(.scalar(let bits, _))):
                inline.append(.init(id: field.id, size: scalar.type.size, alignment: scalar.type.size, value: Self.littleEndian(bits, size: scalar.type.size)))
            case (.unionType, .value(.scalar(let bits, _))):
                inline.append(.init(id: field.id, size: 1, alignment: 1, value: [UInt8(truncatingIfNeeded: bits)]))
            case (.scalar(let scalar), .value(.blobOffset)):
                inline.append(.init(id: field.id, size: scalar.type.size, alignment: scalar.type.size, value: nil))
            case (.scalar(let scalar), .copy(let at)):
                inline.append(.init(id: field.id, size: scalar.type.size, alignment: scalar.type.size,
                                    value: Array(try Self.slice(table.source, at, scalar.type.size))))
            case (.unionType, .copy(let at)):
                inline.append(.init(id: field.id, size: 1, alignment: 1, value: Array(try Self.slice(table.source, at, 1))))
            case (.struct(let name), .copy(let at)):
                guard let shape = table.schema.table(name) else { throw fail(fieldPath(path, field.name), "unknown struct \(name)") }
                inline.append(.init(id: field.id, size: shape.size, alignment: shape.alignment,
                                    value: Array(try Self.slice(table.source, at, shape.size))))
            case (.scalar, _), (.unionType, _), (.struct, _):
                throw fail(fieldPath(path, field.name), "internal error: a value of the wrong kind was set")
            default:
                inline.append(.offset(field.id))
            }
        }
        let (position, fieldPositions) = builder.table(inline)

        // Out-of-line parts, in field order.
        for (field, what) in planned {
            guard let slot = fieldPositions[field.id] else { continue }
            let childPath = fieldPath(path, field.name)
            switch (field.kind, what) {
            case (.scalar, .value(.blobOffset(let blob))):
                blobSlots.append((slot, blob))
            case (.scalar, _), (.unionType, _), (.struct, _):
                continue
            case (_, .value(let value)):
                let target = try writeValue(value, field: field, table: table, path: childPath, depth: depth)
                builder.patch(slot: slot, to: target)
            case (_, .copy):
                let target = try copyField(field, of: table, path: childPath, depth: depth)
                builder.patch(slot: slot, to: target)
            }
        }
        return position
    }

    /// Calls `refuse` with the first vtable slot of `source` past the layout's fields that holds
    /// a field.
    package static func refuseUnknownFields<E: Error>(_ source: FlatBufferTable, layout: SchemaLayout.Table,
                                                      _ refuse: (Int) throws(E) -> Void) throws -> Void {
        let relative = Int(try source.buffer.readLE(Int32.self, at: source.position, what: "table vtable offset"))
        let vtable = source.position - relative
        let size = Int(try source.buffer.readLE(UInt16.self, at: vtable, what: "vtable size"))
        let slots = (size - 4) / 2
        guard slots > layout.slotCount else { return }
        for id in layout.slotCount..<slots where try source.has(id) {
            try refuse(id)
        }
    }

    private static func slice(_ source: FlatBufferTable?, _ at: Int, _ size: Int) throws -> UnsafeRawBufferPointer {
        guard let source, at >= 0, size >= 0, at <= source.buffer.count - size else {
            throw FlatBufferError(what: "field", offset: at)
        }
        return UnsafeRawBufferPointer(rebasing: source.buffer[at..<(at + size)])
    }

    private static func littleEndian(_ bits: UInt64, size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
    }

    // MARK: Set values

    private mutating func writeValue(_ value: FlatValue, field: SchemaLayout.Field, table: TableValue,
                                     path: String, depth: Int) throws -> Int {
        switch value {
        case .string(let text):
            var utf8 = Array(text.utf8)
            return utf8.withUnsafeMutableBytes { builder.string(UnsafeRawBufferPointer($0)) }
        case .table(let child):
            return try write(child, path: path, depth: depth + 1)
        case .tables(let children):
            let (vector, start) = builder.vector(count: children.count, byteCount: 4 * children.count, alignment: 4)
            for (index, child) in children.enumerated() {
                let target = try write(child, path: "\(path)[\(index)]", depth: depth + 1)
                builder.patch(slot: start + 4 * index, to: target)
            }
            return vector
        case .strings(let texts):
            let (vector, start) = builder.vector(count: texts.count, byteCount: 4 * texts.count, alignment: 4)
            for (index, text) in texts.enumerated() {
                var utf8 = Array(text.utf8)
                let target = utf8.withUnsafeMutableBytes { builder.string(UnsafeRawBufferPointer($0)) }
                builder.patch(slot: start + 4 * index, to: target)
            }
            return vector
        case .int32s(let values):
            return values.map { $0.littleEndian }.withUnsafeBytes { builder.vector(count: values.count, bytes: $0, alignment: 4) }
        case .int64s(let values):
            return values.map { $0.littleEndian }.withUnsafeBytes { builder.vector(count: values.count, bytes: $0, alignment: 8) }
        case .floats(let values):
            return values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { builder.vector(count: values.count, bytes: $0, alignment: 4) }
        case .data(let count, let alignment, let source):
            let align = max(alignment, field.forceAlign ?? 1)
            switch source {
            case .input(let raw):
                let position = builder.vector(count: raw.count, bytes: raw, alignment: align)
                copied(raw)
                return position
            case .owned(let bytes):
                return bytes.withUnsafeBytes { builder.vector(count: bytes.count, bytes: $0, alignment: align) }
            case .produced(let fill):
                let (vector, start) = builder.vector(count: count, byteCount: count, alignment: align)
                builder.withMutableBytes(in: start..<(start + count)) { fill($0) }
                return vector
            }
        case .scalar, .blobOffset:
            throw fail(path, "internal error: a scalar was set on an offset field")
        }
    }

    // MARK: Copies

    private mutating func copyField(_ field: SchemaLayout.Field, of table: TableValue, path: String, depth: Int) throws -> Int {
        guard let source = table.source else { throw fail(path, "internal error: nothing to copy") }
        switch field.kind {
        case .string:
            guard let vector = try source.vector(field.id) else { throw fail(path, "missing string") }
            return builder.string(try vector.bytes(elementSize: 1))
        case .table(let name):
            guard let child = try source.table(field.id) else { throw fail(path, "missing table") }
            return try write(TableValue(name, source: child, schema: table.schema), path: path, depth: depth + 1)
        case .unionValue(let unionName):
            let typeID = field.id - 1
            let type: UInt8
            if let set = table.fields[typeID], case .scalar(let bits, _)? = set {
                type = UInt8(truncatingIfNeeded: bits)
            } else {
                type = try source.scalar(typeID, default: UInt8(0))
            }
            guard let union = table.schema.union(unionName), let member = union.member(type) else {
                throw fail(path, "union \(unionName) has type \(type), which this schema does not know; refusing to rewrite the model (the value could not be kept)")
            }
            guard let child = try source.table(field.id) else { throw fail(path, "missing union value") }
            return try write(TableValue(member, source: child, schema: table.schema), path: path, depth: depth + 1)
        case .vector(let element):
            guard let vector = try source.vector(field.id) else { throw fail(path, "missing vector") }
            switch element {
            case .scalar(let scalar):
                let align = max(scalar.type.size, field.forceAlign ?? 1)
                return builder.vector(count: vector.count, bytes: try vector.bytes(elementSize: scalar.type.size), alignment: align)
            case .struct(_, let size, let alignment):
                return builder.vector(count: vector.count, bytes: try vector.bytes(elementSize: size),
                                      alignment: max(alignment, field.forceAlign ?? 1))
            case .string:
                _ = try vector.bytes(elementSize: 4)
                let (position, start) = builder.vector(count: vector.count, byteCount: 4 * vector.count, alignment: 4)
                for index in 0..<vector.count {
                    let slot = vector.start + 4 * index
                    let relative = Int(try vector.buffer.readLE(UInt32.self, at: slot, what: "string offset"))
                    let string = try FlatBufferVector(buffer: vector.buffer, lengthPosition: slot + relative)
                    let target = builder.string(try string.bytes(elementSize: 1))
                    builder.patch(slot: start + 4 * index, to: target)
                }
                return position
            case .table(let name):
                let children = try vector.tables()
                let (position, start) = builder.vector(count: children.count, byteCount: 4 * children.count, alignment: 4)
                for (index, child) in children.enumerated() {
                    let target = try write(TableValue(name, source: child, schema: table.schema), path: "\(path)[\(index)]", depth: depth + 1)
                    builder.patch(slot: start + 4 * index, to: target)
                }
                return position
            }
        case .scalar, .struct, .unionType:
            throw fail(path, "internal error: an inline field was copied as an offset")
        }
    }
}
