import CFlatBuffers
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A FlatBuffers schema loaded into libflatbuffers (the toolchain's system library), used to
/// convert between binary and JSON exactly as `flatc` and tflite-support do, and to verify
/// buffers with the library's own verifier (the reference `FlatBufferVerifier`, the runtime's,
/// is fuzzed against).
///
/// Schemas are immutable once parsed and shared between threads.
public final class FlatBufferSchema: @unchecked Sendable {
    /// Schema file name, for messages.
    public let name: String
    /// The schema's 4-byte file identifier.
    public let fileIdentifier: String
    private let handle: OpaquePointer
    /// The same schema's layout for the runtime's own verifier (nil for other schemas).
    let layout: FlatBufferLayout?

    /// Parses schema `text`.
    public convenience init(name: String, text: String, fileIdentifier: String) throws(SchemaError) {
        try self.init(name: name, text: text, fileIdentifier: fileIdentifier, layout: nil)
    }

    init(name: String, text: String, fileIdentifier: String, layout: FlatBufferLayout?) throws(SchemaError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let handle = cfb_schema_create(text, &error, error.count) else {
            throw SchemaError(message: "\(name): \(cMessage(error))")
        }
        self.name = name
        self.fileIdentifier = fileIdentifier
        self.handle = handle
        self.layout = layout
    }

    deinit { cfb_schema_destroy(handle) }

    /// The TFLite model schema (v3, identifier `TFL3`).
    public static let model: FlatBufferSchema = embedded("tflite.fbs", identifier: "TFL3", layout: .tflite)
    /// The TFLite metadata schema (1.5.0, identifier `M001`).
    public static let metadata: FlatBufferSchema = embedded("metadata.fbs", identifier: "M001", layout: .metadata)

    private static func embedded(_ file: String, identifier: String, layout: FlatBufferLayout) -> FlatBufferSchema {
        // The embedded schemas are part of this program and checked by tests; failing here is a
        // build defect, not an input error.
        guard let text = EmbeddedSchemas.files[file],
              let schema = try? FlatBufferSchema(name: file, text: text, fileIdentifier: identifier, layout: layout)
        else { fatalError("embedded schema \(file) is missing or invalid") }
        return schema
    }

    /// Checks that `bytes` is a buffer of this schema: the identifier, then libflatbuffers'
    /// verifier over every table, vector and string reachable from the root.
    ///
    /// `readableTail` is how many bytes after the buffer may be read (`ByteStorage` guarantees
    /// `ByteStorage.readableTail`); with less, the buffer is verified in a padded copy, since
    /// libflatbuffers' verifier may peek past a table before bounds-checking a union type.
    /// - Returns: nil when valid, otherwise what is wrong.
    public func verify(_ bytes: UnsafeRawBufferPointer, readableTail: Int = 0,
                       maxDepth: Int = 64, maxTables: Int = 10_000_000) -> String? {
        guard readableTail >= ByteStorage.readableTail else {
            return Self.withPaddedCopy(bytes) { verify($0, readableTail: ByteStorage.readableTail, maxDepth: maxDepth, maxTables: maxTables) }
        }
        guard bytes.count >= 8, let base = bytes.baseAddress else {
            return "too small to be a FlatBuffer (\(bytes.count) bytes)"
        }
        let identifier = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[4..<8]), as: UTF8.self)
        guard identifier == fileIdentifier else {
            let printable = identifier.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
            return "wrong file identifier \(printable ? "\"\(identifier)\"" : "(binary)"), expected \"\(fileIdentifier)\""
        }
        var error = [CChar](repeating: 0, count: 256)
        let ok = cfb_verify(handle, base.assumingMemoryBound(to: UInt8.self), bytes.count,
                            UInt32(maxDepth), UInt32(maxTables), &error, error.count)
        return ok == 1 ? nil : cMessage(error)
    }

    /// Checks `bytes` with the runtime's own verifier (`TFLiteModel`'s, generated from the same
    /// schema; no libflatbuffers), with the same limits as ``verify(_:readableTail:maxDepth:maxTables:)``:
    /// the two must agree on every buffer (FuzzTesting's `FuzzVerifier` checks they do).
    /// - Returns: nil when valid, otherwise what is wrong; nil too for a schema made at run time,
    ///   which has no generated layout.
    package func runtimeVerifierProblem(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64,
                                       maxTables: Int = 10_000_000) -> String? {
        guard let layout else { return nil }
        return FlatBufferVerifier(layout, maxDepth: maxDepth, maxTables: maxTables).problem(in: bytes)?.description
    }

    /// Renders a buffer as JSON (strict JSON, 2-space indent, defaults omitted, enums by name).
    /// The buffer is verified first.
    public func json(from bytes: UnsafeRawBufferPointer) throws(SchemaError) -> String {
        let result: Result<String, SchemaError> = Self.withPaddedCopy(bytes) { padded in
            do throws(SchemaError) { return .success(try paddedJSON(from: padded)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs `body` on a copy of `bytes` followed by `ByteStorage.readableTail` zero bytes.
    static func withPaddedCopy<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + ByteStorage.readableTail, alignment: 64)
        defer { copy.deallocate() }
        copy.initializeMemory(as: UInt8.self, repeating: 0)
        if let base = bytes.baseAddress, bytes.count > 0 { copy.baseAddress?.copyMemory(from: base, byteCount: bytes.count) }
        return body(UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count]))
    }

    private func paddedJSON(from bytes: UnsafeRawBufferPointer) throws(SchemaError) -> String {
        if let problem = verify(bytes, readableTail: ByteStorage.readableTail) { throw SchemaError(message: problem) }
        guard let base = bytes.baseAddress else { throw SchemaError(message: "empty buffer") }
        var error = [CChar](repeating: 0, count: 256)
        guard let text = cfb_to_json(handle, base.assumingMemoryBound(to: UInt8.self), bytes.count, &error, error.count) else {
            throw SchemaError(message: cMessage(error))
        }
        defer { cfb_free(text) }
        return String(cString: text)
    }

    /// Builds a binary buffer from JSON in this schema's form (unknown fields are errors).
    public func binary(fromJSON json: String) throws(SchemaError) -> [UInt8] {
        var error = [CChar](repeating: 0, count: 512)
        var length = 0
        guard let buffer = cfb_from_json(handle, json, &length, &error, error.count) else {
            throw SchemaError(message: cMessage(error))
        }
        defer { cfb_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: length))
    }

    /// The name of `value` in enum or union `enumName` (qualified, e.g. `tflite.BuiltinOperator`).
    public func enumName(_ enumName: String, value: Int64) -> String? {
        guard let name = cfb_enum_name(handle, enumName, value) else { return nil }
        return String(cString: name)
    }
}

/// The NUL-terminated message in `buffer`.
private func cMessage(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// A problem reported by libflatbuffers (schema, verification or JSON parsing).
public struct SchemaError: Error, Equatable, CustomStringConvertible {
    /// The library's message, naming the problem (and the source, for JSON).
    public let message: String
    /// Creates an error with its message.
    public init(message: String) { self.message = message }
    public var description: String { message }
}
