#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `populate` writes.
public struct PopulateOptions: Sendable {
    /// Alignment of each packed file's bytes in the output (1 = none).
    public var alignment: Int
    /// Downgrade the validation errors that allow it to warnings.
    public var force: Bool

    /// Creates options.
    ///
    /// - Parameters:
    ///   - alignment: Alignment in bytes of each packed file's data in the output (below 1
    ///     means 1; `tflmeta populate --align` takes powers of two up to 4096).
    ///   - force: Downgrade the forceable validation errors to warnings.
    public init(alignment: Int = 16, force: Bool = false) {
        self.alignment = alignment
        self.force = force
    }
}

/// What `populate` wrote.
public struct PopulateResult: Sendable {
    /// The metadata as written (with the computed `min_parser_version`).
    public var metadata: ModelMetadata
    /// Warnings and notes (and errors downgraded by `force`).
    public var diagnostics: [Diagnostic]
    /// The packed files, in archive order.
    public var files: [String]
    /// The output's size in bytes.
    public var size: Int
}

/// Writes metadata and associated files into a model, keeping everything else.
///
/// The output is a new FlatBuffer prefix (root table, `metadata` and `buffers` vectors, the
/// `TFLITE_METADATA` buffer), then the input's FlatBuffer body and any data after it copied
/// verbatim by the kernel (absolute `Buffer.offset` positions shifted), then a zip of stored,
/// aligned files. The input is never loaded into memory; the output is written to a temporary
/// file beside the target, read back and checked, and renamed over the target.
public enum MetadataPopulator {
    /// The metadata as it will be written and the validation findings, without writing.
    public static func prepare(_ metadata: ModelMetadata, files: [PackedFile], for input: ModelFile,
                               options: PopulateOptions = PopulateOptions()) throws(PopulateError) -> (metadata: ModelMetadata, diagnostics: [Diagnostic]) {
        guard !input.model.subgraphs.isEmpty else {
            throw .file(ModelError(file: input.path, field: "subgraphs", reason: "the model has no subgraphs"))
        }
        var diagnostics: [Diagnostic] = []
        // Files are stored by basename; metadata names follow (as tflite-support does).
        var final = metadata.mappingFileNames { name in
            let base = name.lastPathComponent
            return base.isEmpty ? name : base
        }
        for (path, file) in metadata.namedFiles() {
            if let name = file.name, name.contains("/"), !name.lastPathComponent.isEmpty {
                diagnostics.append(Diagnostic(.warning, path: "\(path).name",
                                              "\"\(name)\" is stored as \"\(name.lastPathComponent)\" (files are stored by basename)",
                                              rule: "file-name"))
            }
        }
        if let recorded = metadata.minParserVersion, MetadataVersion(recorded) != final.requiredParserVersion() {
            diagnostics.append(Diagnostic(.note, path: "min_parser_version",
                                          "\(recorded) replaced by \(final.requiredParserVersion()), computed from the features used",
                                          rule: "min-parser-version"))
        }
        final.minParserVersion = final.requiredParserVersion().description

        let validator = MetadataValidator(model: input.model, packedNames: files.map(\.name), sizes: { name in
            files.first(where: { $0.name == name }).flatMap { size(of: $0) }
        }) { name in
            guard let file = files.first(where: { $0.name == name }) else { return nil }
            return contents(of: file, in: input)
        }
        diagnostics += validator.validate(final)
        if options.force { diagnostics = diagnostics.forced() }
        if diagnostics.hasErrors { throw .invalid(file: input.path, diagnostics: diagnostics) }
        return (final, diagnostics)
    }

    /// Validates and writes `input` with `metadata` and `files` to `output` (which may be the
    /// input's own path).
    @discardableResult
    public static func populate(_ input: ModelFile, metadata: ModelMetadata, files: [PackedFile], to output: String,
                                options: PopulateOptions = PopulateOptions()) throws(PopulateError) -> PopulateResult {
        let (final, diagnostics) = try prepare(metadata, files: files, for: input, options: options)
        do {
            let size = try write(input, metadata: final, files: files, to: output, alignment: max(1, options.alignment))
            return PopulateResult(metadata: final, diagnostics: diagnostics, files: files.map(\.name), size: size)
        } catch {
            throw .file(error)
        }
    }

    /// A file's size in bytes, nil when it cannot be read (the write reports why).
    static func size(of file: PackedFile) -> Int? {
        switch file.source {
        case .bytes(let bytes):
            return bytes.count
        case .packed(let range, _):
            return range.count
        case .path(let path):
            guard let opened = try? RegularFile.open(path) else { return nil }
            close(opened.fd)
            return opened.size
        }
    }

    /// A file's bytes for content checks (label and calibration files are small; files over
    /// `TextFileLimit.bytes` are not read).
    static func contents(of file: PackedFile, in input: ModelFile) -> [UInt8]? {
        let limit = TextFileLimit.bytes
        switch file.source {
        case .bytes(let bytes):
            return bytes
        case .packed(let range, _):
            guard range.count <= limit else { return nil }
            return input.model.storage.slice(range).map { Array($0) }
        case .path(let path):
            return try? RegularFile.read(path, role: file.role, limit: limit, what: "text files")
        }
    }

    // MARK: Writing

    private struct OpenFile {
        var file: PackedFile
        var size: Int
        var crc32: UInt32
        var fd: Int32?
    }

    private static func write(_ input: ModelFile, metadata: ModelMetadata, files: [PackedFile], to output: String,
                              alignment: Int) throws(ModelError) -> Int {
        let model = input.model
        let metadataBytes = try metadata.flatBuffer()
        let layout = try ModelLayout(model: model, archiveStart: input.associatedFiles.archiveStart)
        let (buffers, entries) = layout.replacingMetadata(with: metadataBytes)
        let prefix = ModelPrefix(layout: layout, buffers: buffers, metadata: entries)

        var opened: [OpenFile] = []
        defer { for file in opened { if let fd = file.fd { close(fd) } } }
        for file in files {
            switch file.source {
            case .path(let path):
                let (fd, size) = try FileIO.openForReading(path, role: file.role)
                opened.append(OpenFile(file: file, size: size, crc32: 0, fd: fd))
                opened[opened.count - 1].crc32 = try FileIO.crc32(of: fd, range: 0..<size, path: path)
            case .packed(let range, let crc):
                opened.append(OpenFile(file: file, size: range.count, crc32: crc, fd: nil))
            case .bytes(let bytes):
                opened.append(OpenFile(file: file, size: bytes.count, crc32: bytes.withUnsafeBytes { CRC32.checksum($0) }, fd: nil))
            }
        }
        let zipStart = prefix.bytes.count + layout.bodyLength
        let archive = opened.isEmpty ? nil : try StoredZipLayout(
            opened.map { StoredZipLayout.Entry(name: $0.file.name, size: $0.size, crc32: $0.crc32) },
            start: zipStart, alignment: alignment, output: output)
        let size = archive?.end ?? zipStart

        let (inputFD, _) = try FileIO.openForReading(input.path)
        defer { close(inputFD) }
        var permissions: mode_t = 0o644
        var existing = stat()
        if stat(output, &existing) == 0 { permissions = existing.st_mode & 0o7777 }

        try AtomicFile.write(to: output, permissions: permissions) { (fd, temporary) throws(ModelError) in
            FileIO.reserve(fd, size: size)
            try FileIO.write(prefix.bytes, to: fd, at: 0, path: output)
            try FileIO.copy(from: inputFD, range: layout.bodyStart..<layout.modelEnd, sourcePath: input.path,
                            to: fd, at: prefix.bytes.count, path: output)
            for position in layout.absoluteOffsets {
                guard let value = model.storage.bytes.littleEndian(UInt64.self, at: position) else { continue }
                let shifted = UInt64(Int64(value) + Int64(prefix.shift))
                var bytes = ByteWriter()
                bytes.appendLE(shifted)
                try FileIO.write(bytes.bytes, to: fd, at: position + prefix.shift, path: output)
            }
            if let archive {
                for (entry, file) in archive.entries.enumerated().map({ ($0.element, opened[$0.offset]) }) {
                    try FileIO.write(entry.header, to: fd, at: entry.headerPosition, path: output)
                    switch file.file.source {
                    case .path(let path):
                        try FileIO.copy(from: file.fd ?? -1, range: 0..<file.size, sourcePath: path, to: fd, at: entry.dataStart, path: output)
                    case .packed(let range, _):
                        try FileIO.copy(from: inputFD, range: range, sourcePath: input.path, to: fd, at: entry.dataStart, path: output)
                    case .bytes(let bytes):
                        try FileIO.write(bytes, to: fd, at: entry.dataStart, path: output)
                    }
                }
                try FileIO.write(archive.directory, to: fd, at: archive.directoryPosition, path: output)
            }
            guard ftruncate(fd, off_t(size)) == 0 else {
                throw ModelError(file: output, field: nil, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            try verify(temporary, output: output, input: input, metadataBytes: metadataBytes, layout: layout,
                       buffers: buffers, entries: entries, shift: prefix.shift, files: opened.map { ($0.file.name, $0.size) })
        }
        return size
    }

    /// Reads the written file back and checks that it is the input with the new metadata and
    /// files: same graph, same signatures, every buffer where it should be.
    private static func verify(_ temporary: String, output: String, input: ModelFile, metadataBytes: [UInt8],
                               layout: ModelLayout, buffers: [ModelLayout.BufferSlot], entries: [ModelLayout.MetadataSlot],
                               shift: Int, files: [(String, Int)]) throws(ModelError) {
        func fail(_ what: String) -> ModelError {
            ModelError(file: output, field: nil, reason: "internal error: the written model does not check out (\(what)); nothing was written")
        }
        let written: ModelFile
        do {
            written = try ModelFile(contentsOf: temporary)
        } catch {
            throw fail(error.reason)
        }
        let old = input.model
        let new = written.model
        guard let stored = try new.metadataBuffer(), stored.elementsEqual(metadataBytes) else { throw fail("metadata buffer") }
        guard new.version == old.version, new.description == old.description else { throw fail("version or description") }
        guard new.operatorCodes == old.operatorCodes else { throw fail("operator codes") }
        guard new.signatureDefs == old.signatureDefs else { throw fail("signatures") }
        guard new.subgraphs.count == old.subgraphs.count else { throw fail("subgraph count") }
        for (a, b) in zip(old.subgraphs, new.subgraphs) {
            guard a.name == b.name, a.tensors == b.tensors, a.inputs == b.inputs, a.outputs == b.outputs,
                  a.operators.count == b.operators.count else { throw fail("subgraph \(a.name ?? "")") }
        }
        guard new.buffers.count == buffers.count else { throw fail("buffer count") }
        for (index, slot) in buffers.enumerated() where index < old.buffers.count {
            guard case .body = slot else { continue }
            let before = old.buffers[index].range.map { ($0.lowerBound + shift)..<($0.upperBound + shift) }
            guard new.buffers[index].range == before else { throw fail("buffers[\(index)]") }
        }
        guard new.metadata.count == entries.count else { throw fail("metadata entries") }
        let expectedNames = layout.metadataEntries.filter { $0.name != Model.metadataEntryName }.map(\.name)
        guard new.metadata.map(\.name).filter({ $0 != Model.metadataEntryName }) == expectedNames else { throw fail("metadata entries") }
        guard written.associatedFiles.entries.map(\.name) == files.map(\.0),
              written.associatedFiles.entries.map(\.size) == files.map(\.1) else { throw fail("packed files") }
        if !files.isEmpty, let first = written.associatedFiles.entries.first, first.range.lowerBound < layout.bodyLength + shift + layout.bodyStart {
            throw fail("packed files overlap the model")
        }
    }
}
