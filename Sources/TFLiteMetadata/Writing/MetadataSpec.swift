#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Reads a SPEC: metadata JSON in the form `tflmeta show --json` (and tflite-support's
/// `MetadataDisplayer`) prints. Errors name the JSON path of the field at fault, e.g.
/// `subgraph_metadata[0].output_tensor_metadata[0].associated_files[0].colour: unknown field`.
public enum MetadataSpec {
    /// The most bytes of a SPEC file: 4 MB. Real ones are a few KB; parsing takes about a
    /// hundred times the file's size in memory, so larger ones are refused before parsing.
    public static let sizeLimit = 4 << 20

    /// Reads and parses the SPEC file at `path` (a regular file of at most `sizeLimit` bytes;
    /// `role` names the argument it came from in errors).
    public static func load(contentsOf path: String, role: String? = "--metadata") throws(ModelError) -> ModelMetadata {
        let bytes = try RegularFile.read(path, role: role, limit: sizeLimit, what: "metadata JSON (SPEC) files")
        return try parse(Data(bytes), source: path)
    }

    /// Parses SPEC JSON (at most `sizeLimit` bytes).
    public static func parse(_ data: Data, source: String = "<memory>") throws(ModelError) -> ModelMetadata {
        func fail(_ field: String?, _ reason: String) -> ModelError {
            ModelError(file: source, field: field.map { DisplayText.quoted($0) }, reason: reason)
        }
        guard data.count <= sizeLimit else {
            throw fail(nil, "is \(data.count) bytes, over the limit of \(sizeLimit) bytes for metadata JSON (SPEC) files")
        }
        let tree: Any
        do {
            tree = try JSONTree.parse(data)
        } catch {
            let detail = error.message
            throw fail(nil, "not valid JSON: \(detail)")
        }
        guard tree is [String: Any] else { throw fail(nil, "expected a JSON object (the metadata), got \(kind(of: tree))") }

        let metadata: ModelMetadata
        do {
            metadata = try JSONDecoder().decode(ModelMetadata.self, from: data)
        } catch let error as DecodingError {
            let (path, reason) = describe(error)
            throw fail(path, reason)
        } catch {
            throw fail(nil, "\(error)")
        }
        // Fields the types do not know are dropped by decoding: find them by comparing the input
        // with the decoded value encoded back.
        if let reencoded = try? JSONTree.parse(JSONEncoder().encode(metadata)),
           let (path, reason) = firstUnknownField(tree, reencoded, path: "") {
            throw fail(path, reason)
        }
        // Last, the schema-driven parser tflite-support uses (catches anything left).
        let text = String(decoding: data, as: UTF8.self)
        _ = try ModelMetadata(json: text, source: source)
        return metadata
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: "an array"
        case is String: "a string"
        case is Bool, is Int, is Double: "a number"
        case is JSONTree.Null: "null"
        default: "\(type(of: value))"
        }
    }

    /// The first key of `input` missing from `decoded`, with its path.
    private static func firstUnknownField(_ input: Any, _ decoded: Any, path: String) -> (String, String)? {
        if let object = input as? [String: Any] {
            let known = decoded as? [String: Any] ?? [:]
            for (key, value) in object.sorted(by: { $0.key < $1.key }) {
                let at = path.isEmpty ? key : "\(path).\(key)"
                guard let counterpart = known[key] else {
                    if value is JSONTree.Null { return (at, "null is not a value here; leave the field out instead") }
                    if key.hasSuffix("_properties") || key == "options", object["\(key)_type"] == nil {
                        return (at, "needs \(key)_type to say which table it holds")
                    }
                    return (at, "unknown field \"\(DisplayText.quoted(key))\"")
                }
                if let found = firstUnknownField(value, counterpart, path: at) { return found }
            }
        } else if let array = input as? [Any], let decodedArray = decoded as? [Any] {
            for (index, (value, counterpart)) in zip(array, decodedArray).enumerated() {
                if let found = firstUnknownField(value, counterpart, path: "\(path)[\(index)]") { return found }
            }
        }
        return nil
    }

    /// The JSON path and a reason for a decoding error.
    private static func describe(_ error: DecodingError) -> (String?, String) {
        let context: DecodingError.Context
        var reason: String
        switch error {
        case .typeMismatch(let type, let errorContext):
            context = errorContext
            reason = "expected \(jsonType(type))"
        case .valueNotFound(let type, let errorContext):
            context = errorContext
            reason = "expected \(jsonType(type)), got null"
        case .keyNotFound(let key, let errorContext):
            context = errorContext
            reason = "missing field \"\(key.stringValue)\""
        case .dataCorrupted(let errorContext):
            context = errorContext
            reason = errorContext.debugDescription
        @unknown default:
            return (nil, "\(error)")
        }
        if case .dataCorrupted = error {} else if !context.debugDescription.isEmpty {
            reason += " (\(context.debugDescription))"
        }
        var text = ""
        for key in context.codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return (text.isEmpty ? nil : text, reason)
    }

    private static func jsonType(_ type: Any.Type) -> String {
        if type is String.Type { return "a string" }
        if type is Float.Type || type is Double.Type { return "a number" }
        if type is UInt32.Type || type is Int32.Type || type is UInt8.Type || type is Int.Type { return "an integer" }
        let name = "\(type)"
        if name.hasPrefix("Array<") { return "an array" }
        return name.hasPrefix("Dictionary<") ? "an object" : "an object (\(name))"
    }
}
