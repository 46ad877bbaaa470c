import CLibzip
import TFLiteModel

extension AssociatedFiles {
    /// Reads the archive in `storage` as `init(storage:)` does, then checks it with libzip (which
    /// compares the central directory with the local headers): both readers must list the same
    /// entries, names and sizes. `ModelFile` opens models this way.
    package init(crossChecking storage: ByteStorage) throws(ModelError) {
        try self.init(storage: storage)
        guard archiveStart != nil else { return }
        let file = storage.source
        let listed = try LibzipArchive.list(storage.bytes, file: file)
        guard listed.count == entries.count else {
            throw ModelError(file: file, field: "associated files", reason: "damaged zip directory (\(listed.count) entries found by libzip, \(entries.count) in the central directory)")
        }
        for (entry, checked) in zip(entries, listed) {
            let field = "associated files[\(DisplayText.quoted(entry.name))]"
            guard entry.name == checked.name, entry.size == checked.size else {
                throw ModelError(file: file, field: field, reason: "damaged zip directory (local and central headers disagree)")
            }
            guard checked.method == 0 else {
                throw ModelError(file: file, field: field, reason: "entry is compressed (method \(checked.method)); TFLite requires stored entries")
            }
        }
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

