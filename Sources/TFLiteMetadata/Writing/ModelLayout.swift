import TFLiteModel

/// Where things are in an input model, as `populate` needs them to write a new prefix and copy
/// the rest verbatim.
///
/// The FlatBuffer body (everything after the `TFL3` identifier, or after the prefix a previous
/// `populate` wrote) moves as one block, so its internal relative offsets stay valid. Only the
/// root table, the `metadata` and `buffers` vectors and the tables this tool created are rebuilt;
/// fields holding absolute file positions (`Buffer.offset`, `Operator.large_custom_options_offset`)
/// are listed so they can be shifted.
struct ModelLayout {
    /// An element of `Model.buffers`.
    enum BufferSlot: Equatable {
        /// A `Buffer` table in the body, at this input position.
        case body(Int)
        /// A `Buffer` table to write in the prefix, holding these bytes inline.
        case inline([UInt8])
    }

    /// An element of `Model.metadata`.
    enum MetadataSlot: Equatable {
        /// A `Metadata` table in the body, at this input position.
        case body(Int)
        /// A `Metadata` table to write in the prefix.
        case entry(name: String, buffer: UInt32)
    }

    /// Root fields this layout knows: schema v3 `Model` (ids 0–7) and the two vectors LiteRT's
    /// schema added since (`external_buffer_groups` 8, `external_buffers` 9; their offsets point
    /// into external files, not this one).
    static let knownRootFields = 10
    static let buffersField = 4
    static let metadataField = 6

    /// Where the body starts in the input: 8, or the length of a previous `populate` prefix.
    let bodyStart: Int
    /// Where the model ends: the start of the packed zip, or the file size.
    let modelEnd: Int
    /// `Model.version`, when present.
    let version: UInt32?
    /// Root offset fields kept as they are (operator codes, subgraphs, description, metadata
    /// buffer, signatures): field id and the input position they point to.
    let references: [(id: Int, position: Int)]
    let buffers: [BufferSlot]
    let metadata: [MetadataSlot]
    /// The name and buffer index of each `metadata` element.
    let metadataEntries: [MetadataEntry]
    /// Buffer indices that tensors use.
    let tensorBuffers: Set<UInt32>
    /// Input positions of 64-bit fields that hold absolute file positions, shifted on copy.
    let absoluteOffsets: [Int]

    /// The body's length.
    var bodyLength: Int { modelEnd - bodyStart }

    init(model: Model, archiveStart: Int?) throws(ModelError) {
        let bytes = model.storage.bytes
        let file = model.storage.source
        func fail(_ field: String?, _ reason: String) -> ModelError {
            ModelError(file: file, field: field, reason: reason)
        }
        let bodyStart = PopulateMarker.prefixLength(in: bytes) ?? 8
        let modelEnd = archiveStart ?? bytes.count
        guard modelEnd >= bodyStart else { throw fail("associated files", "the zip archive overlaps the model") }
        self.bodyStart = bodyStart
        self.modelEnd = modelEnd

        let root = model.root
        do {
            // Refuse root fields this schema does not know: their type (and so whether they hold
            // an offset) is unknown, and a rebuilt root would silently drop or break them.
            guard let relative = bytes.littleEndian(Int32.self, at: root.position),
                  let vtableSize = bytes.littleEndian(UInt16.self, at: root.position - Int(relative)) else {
                throw fail(nil, "cannot read the root table")
            }
            let slots = (Int(vtableSize) - 4) / 2
            if slots > Self.knownRootFields {
                for id in Self.knownRootFields..<slots where try root.has(id) {
                    throw fail("Model field \(id)", "the root table has a field this tool does not know; refusing to rewrite the model (the field could not be kept)")
                }
            }
            version = try root.has(0) ? try root.scalar(0, default: UInt32(0)) : nil

            var references: [(id: Int, position: Int)] = []
            for id in [1, 2, 3, 5, 7, 8, 9] {
                guard let at = try root.fieldPosition(id), let relative = bytes.littleEndian(UInt32.self, at: at) else { continue }
                let position = at + Int(relative)
                guard position >= bodyStart, position < modelEnd else {
                    throw fail(Self.rootFieldName(id), "points outside the model body")
                }
                references.append((id, position))
            }
            self.references = references

            var buffers: [BufferSlot] = []
            var absoluteOffsets: [Int] = []
            for (index, table) in try (root.vector(Self.buffersField)?.tables() ?? []).enumerated() {
                let offset = try table.scalar(1, default: UInt64(0))
                let size = try table.scalar(2, default: UInt64(0))
                if table.position >= bodyStart {
                    buffers.append(.body(table.position))
                    if offset > 1, let at = try table.fieldPosition(1) {
                        let (end, overflow) = offset.addingReportingOverflow(size)
                        guard offset >= UInt64(bodyStart), !overflow, end <= UInt64(modelEnd) else {
                            throw fail("buffers[\(index)].offset", "data at \(offset) (\(size) bytes) lies outside the model")
                        }
                        absoluteOffsets.append(at)
                    }
                } else {
                    // A table a previous populate wrote: recreate it (it only ever holds inline data).
                    guard offset <= 1 else { throw fail("buffers[\(index)]", "unexpected buffer layout in the populate prefix") }
                    let data = try table.vector(0).map { vector throws(FlatBufferError) in Array(try vector.bytes(elementSize: 1)) } ?? []
                    buffers.append(.inline(data))
                }
            }
            self.buffers = buffers

            var metadata: [MetadataSlot] = []
            for (index, table) in try (root.vector(Self.metadataField)?.tables() ?? []).enumerated() {
                let entry = model.metadata[index]
                metadata.append(table.position >= bodyStart ? .body(table.position) : .entry(name: entry.name, buffer: entry.buffer))
            }
            self.metadata = metadata
            self.metadataEntries = model.metadata

            for (subgraphIndex, subgraph) in try (root.vector(2)?.tables() ?? []).enumerated() {
                for (operatorIndex, op) in try (subgraph.vector(3)?.tables() ?? []).enumerated() {
                    let size = try op.scalar(10, default: UInt64(0))
                    guard size > 0, let at = try op.fieldPosition(9) else { continue }
                    let offset = try op.scalar(9, default: UInt64(0))
                    let (end, overflow) = offset.addingReportingOverflow(size)
                    guard offset >= UInt64(bodyStart), !overflow, end <= UInt64(modelEnd) else {
                        throw fail("subgraphs[\(subgraphIndex)].operators[\(operatorIndex)].large_custom_options_offset",
                                   "data at \(offset) (\(size) bytes) lies outside the model")
                    }
                    absoluteOffsets.append(at)
                }
            }
            self.absoluteOffsets = Array(Set(absoluteOffsets)).sorted()
        } catch let error as FlatBufferError {
            throw fail(nil, error.description)
        } catch let error as ModelError {
            throw error
        } catch {
            throw fail(nil, "\(error)")
        }
        var used = Set<UInt32>()
        for subgraph in model.subgraphs {
            for tensor in subgraph.tensors { used.insert(tensor.buffer) }
        }
        tensorBuffers = used
    }

    static func rootFieldName(_ id: Int) -> String {
        ["version", "operator_codes", "subgraphs", "description", "buffers", "metadata_buffer", "metadata", "signature_defs",
         "external_buffer_groups", "external_buffers"][id]
    }

    /// The `buffers` and `metadata` elements with `metadataBuffer` as the `TFLITE_METADATA`
    /// buffer.
    ///
    /// As tflite-support does, an existing entry keeps its buffer index and only the buffer is
    /// replaced, when no tensor or other entry shares that buffer; otherwise a buffer is appended.
    /// Further `TFLITE_METADATA` entries are dropped.
    func replacingMetadata(with metadataBuffer: [UInt8]) -> (buffers: [BufferSlot], metadata: [MetadataSlot]) {
        var buffers = self.buffers
        var metadata: [MetadataSlot] = []
        let name = Model.metadataEntryName
        var placed = false
        for (index, entry) in metadataEntries.enumerated() {
            guard entry.name == name else {
                metadata.append(self.metadata[index])
                continue
            }
            if placed { continue }
            placed = true
            let shared = metadataEntries.enumerated().contains { $0.offset != index && $0.element.buffer == entry.buffer }
            if entry.buffer != 0, Int(entry.buffer) < buffers.count, !tensorBuffers.contains(entry.buffer), !shared {
                buffers[Int(entry.buffer)] = .inline(metadataBuffer)
                metadata.append(self.metadata[index])
            } else {
                buffers.append(.inline(metadataBuffer))
                metadata.append(.entry(name: name, buffer: UInt32(buffers.count - 1)))
            }
        }
        if !placed {
            if buffers.isEmpty { buffers.append(.inline([])) } // index 0 is the empty sentinel
            buffers.append(.inline(metadataBuffer))
            metadata.append(.entry(name: name, buffer: UInt32(buffers.count - 1)))
        }
        return (buffers, metadata)
    }
}
