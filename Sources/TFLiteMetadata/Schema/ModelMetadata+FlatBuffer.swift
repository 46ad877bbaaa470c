#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

extension ModelMetadata {
    /// Decodes metadata from an `M001` FlatBuffer, verifying it first.
    /// - Parameters:
    ///   - bytes: the `M001` buffer (the model's `TFLITE_METADATA` buffer).
    ///   - source: names the file in errors.
    public init(flatBuffer bytes: UnsafeRawBufferPointer, source: String = "<memory>") throws(ModelError) {
        let json = try ModelMetadata.json(fromFlatBuffer: bytes, source: source)
        try self.init(json: json, source: source)
    }

    /// The metadata FlatBuffer rendered exactly as tflite-support's
    /// `MetadataDisplayer.get_metadata_json()` prints it (libflatbuffers' text generator, strict
    /// JSON, 2-space indent, defaults omitted, enums and union types by name).
    public static func json(fromFlatBuffer bytes: UnsafeRawBufferPointer, source: String = "<memory>") throws(ModelError) -> String {
        do {
            return try FlatBufferSchema.metadata.json(from: bytes)
        } catch {
            throw ModelError(file: source, field: Model.metadataEntryName, reason: "invalid metadata buffer: \(error.message)")
        }
    }

    /// Parses metadata JSON in the form `show --json` prints. Unknown fields, wrong types and
    /// unknown enum names are errors (checked against the schema by libflatbuffers' parser).
    public init(json: String, source: String = "<memory>") throws(ModelError) {
        // The schema-driven parser rejects unknown fields and bad enum names with a line number.
        do {
            _ = try FlatBufferSchema.metadata.binary(fromJSON: json)
        } catch {
            throw ModelError(file: source, field: nil, reason: "invalid metadata JSON: \(error.message)")
        }
        do {
            self = try JSONDecoder().decode(ModelMetadata.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw ModelError(file: source, field: error.fieldPath, reason: "invalid metadata JSON: \(error.reason)")
        } catch {
            throw ModelError(file: source, field: nil, reason: "invalid metadata JSON: \(error)")
        }
    }

    /// Encodes the metadata as an `M001` FlatBuffer.
    public func flatBuffer() throws(ModelError) -> [UInt8] {
        let json = encodedJSON()
        do {
            return try FlatBufferSchema.metadata.binary(fromJSON: json)
        } catch {
            throw ModelError(file: "<metadata>", field: nil, reason: "cannot encode metadata: \(error.message)")
        }
    }

    /// The metadata as JSON exactly as tflite-support prints it (encoded to a FlatBuffer and
    /// rendered back, so key order and number formatting match).
    public func canonicalJSON() throws(ModelError) -> String {
        let bytes = try flatBuffer()
        return try withBytes(of: bytes) { (raw) throws(ModelError) -> String in
            try ModelMetadata.json(fromFlatBuffer: raw)
        }
    }

    /// Compact JSON from Swift's encoder (keys sorted), accepted by the FlatBuffers parser.
    func encodedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types into JSON cannot fail except for non-finite floats, which the
        // FlatBuffers parser would reject as well; render them as the parser's tokens.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension DecodingError {
    /// The failing field as a metadata path, e.g. `subgraph_metadata[0].input_tensor_metadata[1]`.
    var fieldPath: String? {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            return nil
        }
        guard !path.isEmpty else { return nil }
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text
    }

    var reason: String {
        switch self {
        case .typeMismatch(let type, let context): "expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context): "missing \(type): \(context.debugDescription)"
        case .keyNotFound(let key, _): "missing field \(key.stringValue)"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(self)"
        }
    }
}
