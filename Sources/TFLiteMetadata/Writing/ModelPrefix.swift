import TFLiteModel

/// The bytes `populate` writes before the input's FlatBuffer body: root offset, `TFL3`, the
/// ``PopulateMarker``, a new root `Model` table, new `metadata` and `buffers` vectors, the tables
/// it creates (the `TFLITE_METADATA` entry and its buffer) and their strings and data.
///
/// FlatBuffer offsets only point forward, so everything here may point into the body that
/// follows. The prefix length is `8 (mod 64)`: the body moves by a multiple of 64 bytes and keeps
/// the alignment of every buffer in it.
struct ModelPrefix {
    let bytes: [UInt8]
    /// How far the body moves: output position − input position.
    let shift: Int

    private enum Target {
        case prefix(Int)
        case body(Int)
    }

    init(layout: ModelLayout, buffers: [ModelLayout.BufferSlot], metadata: [ModelLayout.MetadataSlot]) {
        var out = ByteWriter()
        var fixups: [(slot: Int, target: Target)] = []
        out.appendZeros(4)
        out.append(contentsOf: Array("TFL3".utf8))
        out.appendZeros(PopulateMarker.size)

        // Root table: version, the kept references, and the two rebuilt vectors.
        var fields: [(id: Int, value: UInt32?)] = []
        if let version = layout.version { fields.append((0, version)) }
        for reference in layout.references { fields.append((reference.id, nil)) }
        fields.append((ModelLayout.buffersField, nil))
        fields.append((ModelLayout.metadataField, nil))
        fields.sort { $0.id < $1.id }
        var rootSlots: [Int: Int] = [:]
        let root = Self.table(&out, fields: fields.map { ($0.id, $0.value) }) { id, slot in rootSlots[id] = slot }
        for reference in layout.references {
            if let slot = rootSlots[reference.id] { fixups.append((slot, .body(reference.position))) }
        }

        // The two vectors, then the tables they need.
        let metadataSlots = Self.vector(&out, count: metadata.count)
        let bufferSlots = Self.vector(&out, count: buffers.count)
        if let slot = rootSlots[ModelLayout.metadataField] { fixups.append((slot, .prefix(metadataSlots.position))) }
        if let slot = rootSlots[ModelLayout.buffersField] { fixups.append((slot, .prefix(bufferSlots.position))) }

        var payloads: [(slot: Int, bytes: [UInt8], isString: Bool)] = []
        for (index, element) in metadata.enumerated() {
            switch element {
            case .body(let position):
                fixups.append((metadataSlots.elements[index], .body(position)))
            case .entry(let name, let buffer):
                var nameSlot = 0
                let table = Self.table(&out, fields: [(0, nil), (1, buffer)]) { id, slot in if id == 0 { nameSlot = slot } }
                fixups.append((metadataSlots.elements[index], .prefix(table)))
                payloads.append((nameSlot, Array(name.utf8), true))
            }
        }
        for (index, element) in buffers.enumerated() {
            switch element {
            case .body(let position):
                fixups.append((bufferSlots.elements[index], .body(position)))
            case .inline(let data):
                var dataSlot = 0
                let table = Self.table(&out, fields: data.isEmpty ? [] : [(0, nil)]) { _, slot in dataSlot = slot }
                fixups.append((bufferSlots.elements[index], .prefix(table)))
                if !data.isEmpty { payloads.append((dataSlot, data, false)) }
            }
        }
        for payload in payloads {
            if payload.isString {
                out.pad(toMultipleOf: 4)
            } else {
                // `Buffer.data` is `force_align: 16`: the bytes (after the length) start aligned.
                out.pad(toMultipleOf: 16, offset: 4)
            }
            fixups.append((payload.slot, .prefix(out.count)))
            out.appendLE(UInt32(payload.bytes.count))
            out.append(contentsOf: payload.bytes)
            if payload.isString { out.append(0) }
        }
        out.pad(toMultipleOf: PopulateMarker.prefixModulus, offset: PopulateMarker.prefixModulus - PopulateMarker.prefixRemainder)

        let length = out.count
        for fixup in fixups {
            let target: Int
            switch fixup.target {
            case .prefix(let position): target = position
            case .body(let position): target = length + (position - layout.bodyStart)
            }
            out.set(UInt32(target - fixup.slot), at: fixup.slot)
        }
        out.set(UInt32(root), at: 0)
        PopulateMarker.stamp(&out)
        bytes = out.bytes
        shift = length - layout.bodyStart
    }

    /// Writes a vtable and a table whose fields are all 4 bytes wide: a scalar (`value`) or an
    /// offset to fill in later (`nil`, its slot reported through `slot`). Returns the table's
    /// position.
    private static func table(_ out: inout ByteWriter, fields: [(id: Int, value: UInt32?)],
                              slot: (Int, Int) -> Void) -> Int {
        out.pad(toMultipleOf: 2)
        let vtable = out.count
        let slots = (fields.map(\.id).max() ?? -1) + 1
        out.appendLE(UInt16(4 + 2 * slots))
        out.appendLE(UInt16(4 + 4 * fields.count))
        for id in 0..<slots {
            if let rank = fields.firstIndex(where: { $0.id == id }) {
                out.appendLE(UInt16(4 + 4 * rank))
            } else {
                out.appendLE(UInt16(0))
            }
        }
        out.pad(toMultipleOf: 4)
        let table = out.count
        out.appendLE(Int32(table - vtable))
        for field in fields {
            if let value = field.value {
                out.appendLE(value)
            } else {
                slot(field.id, out.count)
                out.appendLE(UInt32(0))
            }
        }
        return table
    }

    /// Writes a vector of `count` offsets to fill in later.
    private static func vector(_ out: inout ByteWriter, count: Int) -> (position: Int, elements: [Int]) {
        out.pad(toMultipleOf: 4)
        let position = out.count
        out.appendLE(UInt32(count))
        var elements: [Int] = []
        for _ in 0..<count {
            elements.append(out.count)
            out.appendLE(UInt32(0))
        }
        return (position, elements)
    }
}
