#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The associated files packed after a model's FlatBuffer (the metadata schema's name for them):
/// an uncompressed zip archive. `tflmeta`, the code generator and the runtime's model wrappers
/// all read the archive with this type; `PackedFile` (in TFLiteMetadata) is a file about to be
/// packed by populate.
///
/// The archive's directory is read by `ZipDirectory`, every bound checked; stored entries are then
/// read in place, without copying, from the model's bytes. TFLiteMetadata's
/// `init(crossChecking:)` also checks the archive with libzip.
package struct AssociatedFiles: Sendable {
    /// One packed file.
    package struct Entry: Hashable, Sendable {
        /// The file name (a basename).
        package var name: String
        /// Size in bytes.
        package var size: Int
        /// CRC-32 of the contents, as recorded in the archive.
        package var crc32: UInt32
        /// Where the contents lie in the model file.
        package var range: Range<Int>
    }

    /// The files in archive order.
    package let entries: [Entry]
    /// Where the archive starts in the file (the end of the model proper), or nil without files.
    package let archiveStart: Int?
    private let storage: ByteStorage

    /// Finds and checks the archive in `storage`: only stored (uncompressed) entries, each name
    /// once. A file without an archive has no entries.
    package init(storage: ByteStorage) throws(ModelError) {
        self.storage = storage
        let file = storage.source
        guard let directory = try ZipDirectory(bytes: storage.bytes, file: file) else {
            entries = []
            archiveStart = nil
            return
        }
        var seen = Set<String>()
        var entries: [Entry] = []
        for entry in directory.entries {
            let field = "associated files[\(DisplayText.quoted(entry.name))]"
            guard entry.method == 0 else {
                throw ModelError(file: file, field: field, reason: "entry is compressed (method \(entry.method)); TFLite requires stored entries")
            }
            guard seen.insert(entry.name).inserted else {
                throw ModelError(file: file, field: field, reason: "duplicate file name in the archive")
            }
            entries.append(Entry(name: entry.name, size: entry.size, crc32: entry.crc32, range: entry.dataRange))
        }
        self.entries = entries
        self.archiveStart = directory.archiveStart
    }

    /// The file the archive is packed in (`ByteStorage.source`).
    package var source: String { storage.source }

    /// The names in archive order.
    package var names: [String] { entries.map(\.name) }

    /// The contents of `name`, in place (no copy), or nil when no such file is packed.
    package func contents(of name: String) -> UnsafeRawBufferPointer? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        return storage.slice(entry.range)
    }

    /// The contents of `name` as `Data` (a copy), verifying its CRC-32.
    package func data(of name: String) throws(ModelError) -> Data {
        Data(try verifiedContents(of: name))
    }

    /// The contents of `name` in place (no copy), after verifying its CRC-32.
    package func verifiedContents(of name: String) throws(ModelError) -> UnsafeRawBufferPointer {
        guard let entry = entries.first(where: { $0.name == name }), let bytes = storage.slice(entry.range) else {
            throw ModelError(file: storage.source, field: "associated files", reason: "no packed file named \"\(DisplayText.quoted(name))\"")
        }
        guard CRC32.checksum(bytes) == entry.crc32 else {
            throw ModelError(file: storage.source, field: "associated files[\(DisplayText.quoted(name))]", reason: "CRC-32 mismatch: the packed file is damaged")
        }
        return bytes
    }
}

extension AssociatedFiles {
    /// The entry named `name`, or nil.
    package func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The bytes of text file `name` (a label file, vocabulary or score calibration file, read
    /// whole), a copy; refused when over `limit` bytes, so a hostile model's gigabyte "label file"
    /// is an error, not gigabytes of memory. Nil when no such file is packed.
    package func textBytes(of name: String, limit: Int = TextFileLimit.bytes) throws(ModelError) -> [UInt8]? {
        guard let entry = entry(named: name), let bytes = storage.slice(entry.range) else { return nil }
        guard entry.size <= limit else {
            throw ModelError(file: storage.source, field: "associated files[\(DisplayText.quoted(name))]",
                             reason: Self.overLimit(size: entry.size, limit: limit))
        }
        return Array(bytes)
    }

    /// The UTF-8 text of packed text file `name` (invalid sequences read as U+FFFD), refused when
    /// over `limit` bytes; nil when no such file is packed.
    package func text(of name: String, limit: Int = TextFileLimit.bytes) throws(ModelError) -> String? {
        try textBytes(of: name, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `is 2147483648 bytes, over the 16 MB limit for text files (labels, vocabularies, score calibration)`.
    package static func overLimit(size: Int, limit: Int = TextFileLimit.bytes) -> String {
        "is \(size) bytes, over the \(TextFileLimit.describe(limit)) limit for text files (labels, vocabularies, score calibration)"
    }
}

extension AssociatedFiles {
    /// Whether `name` is a plain file name that is safe to write into a directory (no path
    /// separators, not `.` or `..`, no NUL).
    package static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
    }
}
