#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a new TFLite model from a parsed one, with tensors, buffers, operators and operator
/// codes added, replaced or removed, keeping everything else field by field.
///
/// Every table starts as a copy of its input table (``TableValue``): fields the editor does not
/// set are re-serialized from the input by the schema layout, so options tables, custom options,
/// signatures, metadata entries, subgraph names, the description, sparsity and fields the
/// model types do not surface survive. An input table with a field the schema does not know is
/// refused. Packed associated files are re-appended as a zip (as `populate` writes it), and
/// models whose data lies past the FlatBuffer (`Buffer.offset`, over 2 GB) keep it there.
///
/// The output is deterministic, written through ``AtomicFile`` and read back with ``Model``
/// before it replaces the target. Memory stays near the output's size: input weights are copied
/// from the mapped input, new weights are produced in place (``DataSource/produced(_:)``).
package struct ModelRewriter: @unchecked Sendable {
    /// A buffer of the output.
    package enum BufferContent: @unchecked Sendable {
        /// No data.
        case empty
        /// The data of input buffer `index`.
        case input(Int)
        /// `count` bytes from `source`.
        case data(count: Int, DataSource)
    }

    /// A subgraph of the output: its table (name and other fields kept), tensors and operators.
    package struct SubgraphValue: @unchecked Sendable {
        package var table: TableValue
        package var tensors: [TableValue]
        package var operators: [TableValue]
    }

    /// The input.
    package let model: Model
    /// The input's packed files (kept as they are).
    package let associatedFiles: AssociatedFiles
    /// The root `Model` table (fields other than the lists below are copied).
    package var root: TableValue
    package var operatorCodes: [TableValue]
    package var subgraphs: [SubgraphValue]
    package var buffers: [BufferContent]
    package var metadata: [TableValue]
    package var signatureDefs: [TableValue]

    /// Outputs larger than this keep buffer data after the FlatBuffer (its offsets are 32-bit).
    package static let inlineLimit = (1 << 31) - (64 << 20)
    /// Alignment of buffer data placed after the FlatBuffer.
    static let blobAlignment = 64

    /// The input, unchanged.
    package init(model: Model, associatedFiles: AssociatedFiles) throws(ModelError) {
        self.model = model
        self.associatedFiles = associatedFiles
        let file = model.storage.source
        root = TableValue("Model", source: model.root)
        do {
            operatorCodes = try (model.root.vector(1)?.tables() ?? []).map { TableValue("OperatorCode", source: $0) }
            subgraphs = try (model.root.vector(2)?.tables() ?? []).map { table throws(FlatBufferError) in
                SubgraphValue(table: TableValue("SubGraph", source: table),
                              tensors: try (table.vector(0)?.tables() ?? []).map { TableValue("Tensor", source: $0) },
                              operators: try (table.vector(3)?.tables() ?? []).map { TableValue("Operator", source: $0) })
            }
            metadata = try (model.root.vector(6)?.tables() ?? []).map { TableValue("Metadata", source: $0) }
            signatureDefs = try (model.root.vector(7)?.tables() ?? []).map { TableValue("SignatureDef", source: $0) }
        } catch {
            throw ModelError(file: file, field: nil, reason: error.description)
        }
        buffers = model.buffers.indices.map { model.buffers[$0].range == nil ? .empty : .input($0) }
        // Custom options stored past the FlatBuffer (absolute positions) move inline.
        for (subgraphIndex, subgraph) in model.subgraphs.enumerated() where subgraphIndex < subgraphs.count {
            for (opIndex, op) in subgraph.operators.enumerated() where opIndex < subgraphs[subgraphIndex].operators.count {
                guard let source = subgraphs[subgraphIndex].operators[opIndex].source,
                      ((try? source.scalar(10, default: UInt64(0))) ?? 0) > 0, let options = op.customOptions else { continue }
                var table = subgraphs[subgraphIndex].operators[opIndex]
                table.set("custom_options", .data(count: options.count, alignment: 16, .input(options)))
                table.set("large_custom_options_offset", nil)
                table.set("large_custom_options_size", nil)
                subgraphs[subgraphIndex].operators[opIndex] = table
            }
        }
    }

    // MARK: Edits

    /// Appends a buffer; returns its index.
    package mutating func appendBuffer(_ content: BufferContent) -> UInt32 {
        buffers.append(content)
        return UInt32(buffers.count - 1)
    }

    /// Appends a tensor to subgraph `subgraph`; returns its index.
    package mutating func appendTensor(_ tensor: TableValue, subgraph: Int) -> Int32 {
        subgraphs[subgraph].tensors.append(tensor)
        return Int32(subgraphs[subgraph].tensors.count - 1)
    }

    /// The index of the operator code for `code` at `version` or more, added when missing (the
    /// version of an existing code is raised to `version` when lower).
    package mutating func operatorCode(_ code: BuiltinOperator, version: Int32) throws(ModelError) -> UInt32 {
        for (index, table) in operatorCodes.enumerated() {
            let deprecated = (try? table.integer("deprecated_builtin_code", default: Int8(0))) ?? 0
            let builtin = (try? table.integer("builtin_code", default: Int32(0))) ?? 0
            guard max(builtin, Int32(deprecated)) == code.rawValue else { continue }
            raiseVersion(ofCode: index, to: version)
            return UInt32(index)
        }
        var table = TableValue("OperatorCode")
        table.set("deprecated_builtin_code", integer: Int8(clamping: code.rawValue))
        table.set("builtin_code", integer: code.rawValue)
        table.set("version", integer: version)
        operatorCodes.append(table)
        return UInt32(operatorCodes.count - 1)
    }

    /// Raises the version of operator code `index` to `version` when lower.
    package mutating func raiseVersion(ofCode index: Int, to version: Int32) {
        guard index >= 0, index < operatorCodes.count else { return }
        let current = (try? operatorCodes[index].integer("version", default: Int32(1))) ?? 1
        if version > current { operatorCodes[index].set("version", integer: version) }
    }

    /// The current version of operator code `index`.
    package func version(ofCode index: Int) -> Int32 {
        guard index >= 0, index < operatorCodes.count else { return 1 }
        return (try? operatorCodes[index].integer("version", default: Int32(1))) ?? 1
    }

    /// Replaces the data of the buffer named by metadata entry `name` (adding the entry and a
    /// buffer when missing).
    package mutating func setMetadataBuffer(named name: String, bytes: [UInt8]) {
        for entry in metadata {
            guard let source = entry.source, (try? source.string(0)) == name else { continue }
            let index = Int((try? entry.integer("buffer", default: UInt32(0))) ?? 0)
            let shared = metadata.filter { ((try? $0.integer("buffer", default: UInt32(0))) ?? 0) == UInt32(index) }.count > 1
                || subgraphs.contains { $0.tensors.contains { ((try? $0.integer("buffer", default: UInt32(0))) ?? 0) == UInt32(index) } }
            if index > 0, index < buffers.count, !shared {
                buffers[index] = .data(count: bytes.count, .owned(bytes))
                return
            }
        }
        let buffer = appendBuffer(.data(count: bytes.count, .owned(bytes)))
        metadata.removeAll { (try? $0.source?.string(0)) == name }
        var entry = TableValue("Metadata")
        entry.set("name", .string(name))
        entry.set("buffer", integer: buffer)
        metadata.append(entry)
    }

    /// Removes tensors `removed` of subgraph `subgraph`, renumbering the rest in operators,
    /// the subgraph's inputs and outputs, and the signatures of the subgraph. A removed tensor
    /// still referred to is an error.
    package mutating func removeTensors(_ removed: Set<Int>, subgraph index: Int) throws(ModelError) {
        let file = model.storage.source
        guard index >= 0, index < subgraphs.count else {
            throw ModelError(file: file, field: "subgraphs[\(index)]", reason: "no such subgraph")
        }
        var subgraph = subgraphs[index]
        var mapping: [Int32] = []
        var next: Int32 = 0
        for tensor in subgraph.tensors.indices {
            if removed.contains(tensor) {
                mapping.append(-1)
            } else {
                mapping.append(next)
                next += 1
            }
        }
        func remap(_ values: [Int32], _ field: String) throws(ModelError) -> [Int32] {
            var result: [Int32] = []
            result.reserveCapacity(values.count)
            for value in values {
                if value < 0 { result.append(value); continue }   // an omitted optional input
                guard Int(value) < mapping.count, mapping[Int(value)] >= 0 else {
                    throw ModelError(file: file, field: field, reason: "refers to tensor \(value), which was removed or does not exist")
                }
                result.append(mapping[Int(value)])
            }
            return result
        }
        do {
            for (opIndex, op) in subgraph.operators.enumerated() {
                var op = op
                let prefix = "subgraphs[\(index)].operators[\(opIndex)]"
                for name in ["inputs", "outputs", "intermediates"] where try op.has(name) {
                    op.set(name, .int32s(try remap(try op.int32s(name), "\(prefix).\(name)")))
                }
                subgraph.operators[opIndex] = op
            }
            for name in ["inputs", "outputs"] where try subgraph.table.has(name) {
                subgraph.table.set(name, .int32s(try remap(try subgraph.table.int32s(name), "subgraphs[\(index)].\(name)")))
            }
        } catch let error as FlatBufferError {
            throw ModelError(file: file, field: "subgraphs[\(index)]", reason: error.description)
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError(file: file, field: "subgraphs[\(index)]", reason: "\(error)")
        }
        subgraph.tensors = subgraph.tensors.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        subgraphs[index] = subgraph

        for (signatureIndex, signature) in signatureDefs.enumerated() {
            guard let source = signature.source,
                  (try? source.scalar(4, default: UInt32(0))) == UInt32(index) else { continue }
            var edited = signature
            for (name, id) in [("inputs", 0), ("outputs", 1)] {
                guard let maps = try? source.vector(id)?.tables() else { continue }
                var values: [TableValue] = []
                for (mapIndex, map) in maps.enumerated() {
                    var value = TableValue("TensorMap", source: map)
                    let old = Int32(truncatingIfNeeded: (try? map.scalar(1, default: UInt32(0))) ?? 0)
                    let new = try remap([old], "signature_defs[\(signatureIndex)].\(name)[\(mapIndex)].tensor_index")
                    value.set("tensor_index", integer: UInt32(truncatingIfNeeded: new[0]))
                    values.append(value)
                }
                edited.set(name, .tables(values))
            }
            signatureDefs[signatureIndex] = edited
        }
    }

    // MARK: Writing

    /// The bytes of the output before packed files: the FlatBuffer, then any data placed after it.
    package struct Serialized {
        package var flatBuffer: [UInt8]
        /// Data after the FlatBuffer: output position, byte count, source.
        package var blobs: [(position: Int, count: Int, source: DataSource)]
        /// Where the model part ends (packed files start here).
        package var end: Int
    }

    /// Serializes the edited model.
    package func serialize() throws(ModelError) -> Serialized {
        let file = model.storage.source
        var dataTotal = 0
        var tables: [TableValue] = []
        var blobs: [Blob] = []
        let outOfLine = model.buffers.contains { $0.offset > 1 } || estimatedSize() > Self.inlineLimit
        for (index, content) in buffers.enumerated() {
            var table = TableValue("Buffer")
            var bytes: Int = 0
            var source: DataSource?
            switch content {
            case .empty: break
            case .input(let input):
                let raw = try model.data(ofBuffer: input)
                bytes = raw.count
                if raw.count > 0 { source = .input(raw) }
            case .data(let count, let data):
                guard count >= 0 else {
                    throw ModelError(file: file, field: "buffers[\(index)]", reason: "internal error: negative size")
                }
                bytes = count
                if count > 0 { source = data }
            }
            if let source {
                dataTotal += bytes
                if outOfLine {
                    blobs.append(Blob(count: bytes, source: source))
                    table.set("offset", .blobOffset(blobs.count - 1))
                    table.set("size", integer: UInt64(bytes))
                } else {
                    table.set("data", .data(count: bytes, alignment: 16, source))
                }
            }
            tables.append(table)
        }
        var root = self.root
        root.set("operator_codes", .tables(operatorCodes))
        root.set("subgraphs", .tables(subgraphs.map { subgraph in
            var table = subgraph.table
            table.set("tensors", .tables(subgraph.tensors))
            table.set("operators", .tables(subgraph.operators))
            return table
        }))
        root.set("buffers", .tables(tables))
        if !metadata.isEmpty || model.root.hasField(6) { root.set("metadata", .tables(metadata)) }
        if !signatureDefs.isEmpty || model.root.hasField(7) { root.set("signature_defs", .tables(signatureDefs)) }

        var writer = TableWriter(file: file, capacity: outOfLine ? 1 << 20 : estimatedSize() + (1 << 16))
        let storage = model.storage
        writer.copied = { raw in if let base = raw.baseAddress { storage.releasePages(base, byteCount: raw.count) } }
        try writer.writeRoot(root, identifier: "TFL3")
        writer.builder.pad(toMultipleOf: 16)
        let flatBufferSize = writer.builder.count
        guard flatBufferSize < (1 << 31) else {
            throw ModelError(file: file, field: nil, reason: "the rewritten model's FlatBuffer would pass 2 GB")
        }
        var placed: [(position: Int, count: Int, source: DataSource)] = []
        var end = flatBufferSize
        for blob in blobs {
            end = (end + Self.blobAlignment - 1) / Self.blobAlignment * Self.blobAlignment
            placed.append((end, blob.count, blob.source))
            end += blob.count
        }
        for (slot, blob) in writer.blobSlots where blob < placed.count {
            writer.builder.set(UInt64(placed[blob].position), at: slot)
        }
        return Serialized(flatBuffer: writer.builder.finish(), blobs: placed, end: end)
    }

    /// An upper estimate of the output's size (data plus the input's FlatBuffer without data).
    func estimatedSize() -> Int {
        var inputData = 0
        for buffer in model.buffers { inputData += buffer.range?.count ?? 0 }
        var outputData = 0
        for content in buffers {
            switch content {
            case .empty: break
            case .input(let index): outputData += model.buffers[index].range?.count ?? 0
            case .data(let count, _): outputData += max(0, count)
            }
            outputData += 64
        }
        let packed = associatedFiles.archiveStart.map { model.storage.count - $0 } ?? 0
        return max(0, model.storage.count - inputData - packed) + outputData
    }

    /// Writes the model to `path` (atomically; read back and checked first). Returns the size.
    @discardableResult
    package func write(to path: String) throws(ModelError) -> Int {
        let serialized = try serialize()
        let entries = associatedFiles.entries
        let archive = entries.isEmpty ? nil : try StoredZipLayout(
            entries.map { StoredZipLayout.Entry(name: $0.name, size: $0.size, crc32: $0.crc32) },
            start: serialized.end, alignment: 16, output: path)
        let size = archive?.end ?? serialized.end
        var permissions: mode_t = 0o644
        var existing = stat()
        if stat(path, &existing) == 0 { permissions = existing.st_mode & 0o7777 }
        let inputPath = model.storage.source

        try AtomicFile.write(to: path, permissions: permissions) { (fd, temporary) throws(ModelError) in
            FileIO.reserve(fd, size: size)
            try FileIO.write(serialized.flatBuffer, to: fd, at: 0, path: path)
            for blob in serialized.blobs {
                switch blob.source {
                case .input(let raw):
                    try FileIO.write(raw, to: fd, at: blob.position, path: path)
                    if let base = raw.baseAddress { model.storage.releasePages(base, byteCount: raw.count) }
                case .owned(let bytes): try FileIO.write(bytes, to: fd, at: blob.position, path: path)
                case .produced(let fill):
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blob.count, alignment: 64)
                    defer { buffer.deallocate() }
                    buffer.initializeMemory(as: UInt8.self, repeating: 0)
                    fill(buffer)
                    try FileIO.write(UnsafeRawBufferPointer(buffer), to: fd, at: blob.position, path: path)
                }
            }
            if let archive {
                for (placed, entry) in zip(archive.entries, entries) {
                    try FileIO.write(placed.header, to: fd, at: placed.headerPosition, path: path)
                    guard let bytes = model.storage.slice(entry.range) else {
                        throw ModelError(file: inputPath, field: "associated files[\(DisplayText.quoted(entry.name))]", reason: "data lies outside the file")
                    }
                    try FileIO.write(bytes, to: fd, at: placed.dataStart, path: path)
                }
                try FileIO.write(archive.directory, to: fd, at: archive.directoryPosition, path: path)
            }
            guard ftruncate(fd, off_t(size)) == 0 else {
                throw ModelError(file: path, field: nil, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            try check(temporary, output: path)
        }
        return size
    }

    /// Reads the written file back and checks it has what was planned.
    private func check(_ temporary: String, output: String) throws(ModelError) {
        func fail(_ what: String) -> ModelError {
            ModelError(file: output, field: nil, reason: "internal error: the written model does not check out (\(what)); nothing was written")
        }
        let written: Model
        let files: AssociatedFiles
        do {
            written = try Model(contentsOf: temporary)
            files = try AssociatedFiles(storage: written.storage)
        } catch {
            throw fail(error.reason)
        }
        guard written.operatorCodes.count == operatorCodes.count else { throw fail("operator codes") }
        guard written.buffers.count == buffers.count else { throw fail("buffer count") }
        guard written.subgraphs.count == subgraphs.count else { throw fail("subgraph count") }
        for (a, b) in zip(written.subgraphs, subgraphs) {
            guard a.tensors.count == b.tensors.count, a.operators.count == b.operators.count else { throw fail("subgraph \(a.name ?? "")") }
        }
        guard written.metadata.count == metadata.count, written.signatureDefs.count == signatureDefs.count else { throw fail("metadata or signatures") }
        guard files.entries.map(\.name) == associatedFiles.entries.map(\.name),
              files.entries.map(\.size) == associatedFiles.entries.map(\.size) else { throw fail("packed files") }
    }
}

extension FlatBufferTable {
    /// Whether field `id` is present (false when it cannot be read).
    func hasField(_ id: Int) -> Bool {
        ((try? fieldPosition(id)) ?? nil) != nil
    }
}
