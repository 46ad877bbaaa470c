import CLibzip
import Foundation
import TFLiteModel

/// The associated files packed after a model's FlatBuffer: an uncompressed zip archive.
///
/// The archive is opened with libzip (which checks the central directory against the local
/// headers); stored entries are then read in place, without copying, from the model's bytes.
public struct AssociatedFiles: Sendable {
    /// One packed file.
    public struct Entry: Hashable, Sendable {
        /// The file name (a basename).
        public var name: String
        /// Size in bytes.
        public var size: Int
        /// CRC-32 of the contents, as recorded in the archive.
        public var crc32: UInt32
        /// Where the contents lie in the model file.
        public var range: Range<Int>
    }

    /// The packed files in archive order.
    public let entries: [Entry]
    /// Where the archive starts in the file (the end of the model proper), or nil without files.
    public let archiveStart: Int?
    private let storage: ByteStorage

    /// Finds and checks the archive in `storage`. A file without an archive has no entries.
    public init(storage: ByteStorage) throws(ModelError) {
        self.storage = storage
        let file = storage.source
        guard let directory = try ZipDirectory(bytes: storage.bytes, file: file) else {
            entries = []
            archiveStart = nil
            return
        }
        let listed = try LibzipArchive.list(storage.bytes, file: file)
        guard listed.count == directory.entries.count else {
            throw ModelError(file: file, field: "associated files", reason: "damaged zip directory (\(listed.count) entries found by libzip, \(directory.entries.count) in the central directory)")
        }
        var seen = Set<String>()
        var entries: [Entry] = []
        for (entry, checked) in zip(directory.entries, listed) {
            let field = "associated files[\(entry.name)]"
            guard entry.name == checked.name, entry.size == checked.size else {
                throw ModelError(file: file, field: field, reason: "damaged zip directory (local and central headers disagree)")
            }
            guard entry.method == 0, checked.method == 0 else {
                throw ModelError(file: file, field: field, reason: "entry is compressed (method \(checked.method)); TFLite requires stored entries")
            }
            guard seen.insert(entry.name).inserted else {
                throw ModelError(file: file, field: field, reason: "duplicate file name in the archive")
            }
            entries.append(Entry(name: entry.name, size: entry.size, crc32: entry.crc32, range: entry.dataRange))
        }
        self.entries = entries
        self.archiveStart = directory.archiveStart
    }

    /// The names in archive order.
    public var names: [String] { entries.map(\.name) }

    /// The contents of `name`, in place (no copy), or nil when no such file is packed.
    public func contents(of name: String) -> UnsafeRawBufferPointer? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        return storage.slice(entry.range)
    }

    /// The contents of `name` as `Data` (a copy), verifying its CRC-32.
    public func data(of name: String) throws(ModelError) -> Data {
        Data(try verifiedContents(of: name))
    }

    /// The contents of `name` in place (no copy), after verifying its CRC-32.
    public func verifiedContents(of name: String) throws(ModelError) -> UnsafeRawBufferPointer {
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
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The bytes of text file `name` (a label file, vocabulary or score calibration file, read
    /// whole), a copy; refused when over `limit` bytes, so a hostile model's gigabyte "label file"
    /// is an error, not gigabytes of memory. Nil when no such file is packed.
    public func textBytes(of name: String, limit: Int = TextFileLimit.bytes) throws(ModelError) -> [UInt8]? {
        guard let entry = entry(named: name), let bytes = storage.slice(entry.range) else { return nil }
        guard entry.size <= limit else {
            throw ModelError(file: storage.source, field: "associated files[\(DisplayText.quoted(name))]",
                             reason: Self.overLimit(size: entry.size, limit: limit))
        }
        return Array(bytes)
    }

    /// The UTF-8 text of packed text file `name` (invalid sequences read as U+FFFD), refused when
    /// over `limit` bytes; nil when no such file is packed.
    public func text(of name: String, limit: Int = TextFileLimit.bytes) throws(ModelError) -> String? {
        try textBytes(of: name, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `is 2147483648 bytes, over the 16 MB limit for text files (labels, vocabularies, score calibration)`.
    public static func overLimit(size: Int, limit: Int = TextFileLimit.bytes) -> String {
        "is \(size) bytes, over the \(TextFileLimit.describe(limit)) limit for text files (labels, vocabularies, score calibration)"
    }
}

/// libzip's view of the archive, used to check it.
enum LibzipArchive {
    struct Listed {
        var name: String
        var size: Int
        var method: Int
    }

    static func list(_ bytes: UnsafeRawBufferPointer, file: String) throws(ModelError) -> [Listed] {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(bytes.baseAddress, UInt64(bytes.count), 0, &error) else {
            throw ModelError(file: file, field: "associated files", reason: "cannot read the zip archive")
        }
        guard let archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) else {
            zip_source_free(source)
            let message = String(cString: zip_error_strerror(&error))
            throw ModelError(file: file, field: "associated files", reason: "damaged zip archive: \(message)")
        }
        defer { zip_discard(archive) }
        let count = zip_get_num_entries(archive, 0)
        guard count >= 0 else {
            throw ModelError(file: file, field: "associated files", reason: "damaged zip archive")
        }
        var result: [Listed] = []
        for index in 0..<UInt64(count) {
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            guard zip_stat_index(archive, index, UInt32(ZIP_FL_ENC_RAW), &stat) == 0, let name = stat.name else {
                throw ModelError(file: file, field: "associated files[\(index)]", reason: "damaged zip entry")
            }
            result.append(Listed(name: String(cString: name), size: Int(clamping: stat.size), method: Int(stat.comp_method)))
        }
        return result
    }
}

extension AssociatedFiles {
    /// Whether `name` is a plain file name that is safe to write into a directory (no path
    /// separators, not `.` or `..`, no NUL).
    public static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
    }
}
