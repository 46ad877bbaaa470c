
/// The records of a zip archive of stored (uncompressed) entries whose data start at aligned
/// positions of the output file, so that readers can map each file in place.
///
/// Data alignment uses an extra field in the local header (id `0xD935`, as Android's zipalign
/// does: the alignment as u16, then zero padding); the central directory carries no extra field.
/// Offsets are positions in the whole output file, and every timestamp is 1980-01-01 00:00 so the
/// same inputs give the same bytes.
package struct StoredZipLayout {
    package struct Entry: Equatable {
        package var name: String
        package var size: Int
        package var crc32: UInt32

        package init(name: String, size: Int, crc32: UInt32) {
            self.name = name
            self.size = size
            self.crc32 = crc32
        }
    }

    package struct Placed: Equatable {
        /// Where the local header goes, and its bytes.
        package var headerPosition: Int
        package var header: [UInt8]
        /// Where the file's bytes go (aligned).
        package var dataStart: Int
    }

    package static let alignmentExtraID: UInt16 = 0xD935
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    package let entries: [Placed]
    package let directoryPosition: Int
    /// Central directory and end record.
    package let directory: [UInt8]
    /// The position just past the archive (the output file's size).
    package var end: Int { directoryPosition + directory.count }

    /// Lays out `files` starting at `start`, aligning each file's data to `alignment` bytes.
    package init(_ files: [Entry], start: Int, alignment: Int, output: String) throws(ModelError) {
        guard files.count < 0xFFFF else {
            throw ModelError(file: output, field: "associated files", reason: "too many files (\(files.count)); zip64 is not supported")
        }
        var placed: [Placed] = []
        var position = start
        var central = ByteWriter()
        for file in files {
            let name = Array(file.name.utf8)
            let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : 1 << 11 // UTF-8 names
            let fixed = 30 + name.count
            var padding = 0
            if alignment > 1 {
                let misalignment = (position + fixed) % alignment
                if misalignment != 0 {
                    padding = alignment - misalignment
                    while padding < 6 { padding += alignment } // the extra field needs 4 + 2 bytes
                }
            }
            guard position <= 0xFFFF_FFFE, file.size <= 0xFFFF_FFFE, padding <= 0xFFFF else {
                throw ModelError(file: output, field: "associated files[\(file.name)]",
                                 reason: "the archive would pass 4 GB; zip64 is not supported")
            }
            var local = ByteWriter()
            local.appendLE(UInt32(0x0403_4b50))
            local.appendLE(UInt16(10))              // version needed: 1.0, stored
            local.appendLE(flags)
            local.appendLE(UInt16(0))               // method: stored
            local.appendLE(Self.dosTime)
            local.appendLE(Self.dosDate)
            local.appendLE(file.crc32)
            local.appendLE(UInt32(file.size))       // compressed size
            local.appendLE(UInt32(file.size))
            local.appendLE(UInt16(name.count))
            local.appendLE(UInt16(padding))
            local.append(contentsOf: name)
            if padding > 0 {
                local.appendLE(Self.alignmentExtraID)
                local.appendLE(UInt16(padding - 4))
                local.appendLE(UInt16(alignment))
                local.appendZeros(padding - 6)
            }
            placed.append(Placed(headerPosition: position, header: local.bytes, dataStart: position + local.count))

            central.appendLE(UInt32(0x0201_4b50))
            central.appendLE(UInt16(0x031E))        // made by: Unix, zip 3.0
            central.appendLE(UInt16(10))
            central.appendLE(flags)
            central.appendLE(UInt16(0))
            central.appendLE(Self.dosTime)
            central.appendLE(Self.dosDate)
            central.appendLE(file.crc32)
            central.appendLE(UInt32(file.size))
            central.appendLE(UInt32(file.size))
            central.appendLE(UInt16(name.count))
            central.appendLE(UInt16(0))             // extra
            central.appendLE(UInt16(0))             // comment
            central.appendLE(UInt16(0))             // disk
            central.appendLE(UInt16(0))             // internal attributes
            central.appendLE(UInt32(0o100644) << 16) // external: regular file, rw-r--r--
            central.appendLE(UInt32(position))
            central.append(contentsOf: name)

            position += local.count + file.size
        }
        guard position <= 0xFFFF_FFFE, central.count <= 0xFFFF_FFFE else {
            throw ModelError(file: output, field: "associated files", reason: "the archive would pass 4 GB; zip64 is not supported")
        }
        var directory = central
        directory.appendLE(UInt32(0x0605_4b50))
        directory.appendLE(UInt16(0))
        directory.appendLE(UInt16(0))
        directory.appendLE(UInt16(files.count))
        directory.appendLE(UInt16(files.count))
        directory.appendLE(UInt32(central.count))
        directory.appendLE(UInt32(position))
        directory.appendLE(UInt16(0))               // comment length
        self.entries = placed
        self.directoryPosition = position
        self.directory = directory.bytes
    }
}
