import Foundation

/// The Swift files made from `schemas/tflite.fbs`: named operator codes and options accessors.
enum SchemaAccessors {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// File name and text of each generated file.
    static func sources(schemaPath: String) throws -> [(String, String)] {
        guard let text = try? String(contentsOf: URL(fileURLWithPath: schemaPath), encoding: .utf8) else {
            throw Problem(description: "cannot read \(schemaPath) as UTF-8")
        }
        let schema = try SchemaText(text: text, file: schemaPath)
        return [
            ("BuiltinOperator+Names.swift", try OperatorSource.make(schema, file: schemaPath)),
            ("OperatorOptions+Tables.swift", try OptionsSource.make(schema, file: schemaPath)),
            ("TensorType+Names.swift", try TensorTypeSource.make(schema, file: schemaPath)),
        ]
    }

    /// Writes `text` to `path` (through a temporary file, renamed).
    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Problem(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
