/// The one zip reader of the package: a bounds-checked reading of an archive's central directory
/// and local headers, to find where each entry's bytes lie so they can be read in place.
/// `AssociatedFiles` (and through it the metadata library and the runtime) reads entries with it.
///
/// The archive may follow other data (the model); offsets in it may be relative to the file or to
/// the archive's start, as different writers do, and both are handled. Zip64 archives are
/// refused; every offset and length read from the file is checked against the buffer, the
/// directory and the end record before it is used.
struct ZipDirectory {
    struct Entry {
        var name: String
        /// The compression method (0 = stored).
        var method: Int
        var size: Int
        var compressedSize: Int
        var crc32: UInt32
        var dataRange: Range<Int>
    }

    var entries: [Entry]
    var archiveStart: Int

    /// Reads the directory, or returns nil when there is no end-of-central-directory record.
    init?(bytes: UnsafeRawBufferPointer, file: String) throws(ModelError) {
        func fail(_ reason: String) -> ModelError {
            ModelError(file: file, field: "associated files", reason: reason)
        }
        func u16(_ at: Int) throws(ModelError) -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw fail("damaged zip directory (record past the end of the file)") }
            return Int(UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)
        }
        func u32(_ at: Int) throws(ModelError) -> Int {
            guard at >= 0, at + 4 <= bytes.count else { throw fail("damaged zip directory (record past the end of the file)") }
            return Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }

        // The end record is 22 bytes plus a comment of up to 65535 bytes.
        let lowest = max(0, bytes.count - 22 - 65535)
        var eocd: Int?
        var position = bytes.count - 22
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4b, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06,
               position + 22 + (try u16(position + 20)) == bytes.count {
                eocd = position
                break
            }
            position -= 1
        }
        guard let eocd else { return nil }

        let count = try u16(eocd + 10)
        let directorySize = try u32(eocd + 12)
        let directoryOffset = try u32(eocd + 16)
        if directoryOffset == 0xFFFF_FFFF || count == 0xFFFF {
            throw fail("zip64 archives are not supported for associated files")
        }
        // Where the directory actually is, and so how far every recorded offset is shifted.
        let directoryStart = eocd - directorySize
        guard directoryStart >= 0, directoryStart >= directoryOffset else { throw fail("damaged zip directory (bad size or offset)") }
        let shift = directoryStart - directoryOffset

        var entries: [Entry] = []
        var cursor = directoryStart
        var start = directoryStart
        for _ in 0..<count {
            guard try u32(cursor) == 0x0201_4b50 else { throw fail("damaged zip directory (bad central header signature)") }
            let method = try u16(cursor + 10)
            let crc = UInt32(try u32(cursor + 16))
            let compressedSize = try u32(cursor + 20)
            let size = try u32(cursor + 24)
            let nameLength = try u16(cursor + 28)
            let extraLength = try u16(cursor + 30)
            let commentLength = try u16(cursor + 32)
            let localOffset = try u32(cursor + 42) + shift
            guard cursor + 46 + nameLength <= eocd else { throw fail("damaged zip directory (name past the directory)") }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(cursor + 46)..<(cursor + 46 + nameLength)]), as: UTF8.self)
            cursor += 46 + nameLength + extraLength + commentLength
            guard cursor <= eocd else { throw fail("damaged zip directory (entry past the directory)") }

            let shown = DisplayText.quoted(name)
            guard try u32(localOffset) == 0x0403_4b50 else { throw fail("damaged zip entry \"\(shown)\" (bad local header)") }
            let localNameLength = try u16(localOffset + 26)
            let localExtraLength = try u16(localOffset + 28)
            let dataStart = localOffset + 30 + localNameLength + localExtraLength
            guard dataStart <= directoryStart, compressedSize <= directoryStart - dataStart else {
                throw fail("damaged zip entry \"\(shown)\" (data past the directory)")
            }
            start = min(start, localOffset)
            entries.append(Entry(name: name, method: method, size: size, compressedSize: compressedSize, crc32: crc,
                                 dataRange: dataStart..<(dataStart + compressedSize)))
        }
        self.entries = entries
        self.archiveStart = start
    }
}
