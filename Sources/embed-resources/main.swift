import Foundation

// embed-resources TYPE OUTPUT FILE...
//   Writes a Swift file declaring `enum TYPE { static let files: [String: String] }`, mapping each
//   input's file name to its text. `make embed` runs it for schemas/ and templates/.
// embed-resources --schema-accessors DIRECTORY SCHEMA
//   Writes `BuiltinOperator+Names.swift` (a `BuiltinOperator` constant per value of the schema's
//   enum) and `OperatorOptions+Tables.swift` (a struct per member table of the options unions)
//   into DIRECTORY. `make embed` runs it for schemas/tflite.fbs.
// embed-resources --schema-layout DIRECTORY SCHEMA_DIRECTORY
//   Writes `SchemaLayout+TFLite.swift` and `SchemaLayout+Metadata.swift` (every table's fields
//   by slot, kind, size and default) for tflite.fbs and metadata.fbs of SCHEMA_DIRECTORY.

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("embed-resources: \(message)\n".utf8))
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--schema-accessors" {
    guard arguments.count == 3 else { fail("usage: embed-resources --schema-accessors DIRECTORY SCHEMA", status: 2) }
    do {
        for (name, text) in try SchemaAccessors.sources(schemaPath: arguments[2]) {
            try SchemaAccessors.write(text, to: URL(fileURLWithPath: arguments[1]).appendingPathComponent(name).path)
        }
    } catch {
        fail("\(error)")
    }
} else if arguments.first == "--schema-layout" {
    guard arguments.count == 3 else { fail("usage: embed-resources --schema-layout DIRECTORY SCHEMA_DIRECTORY", status: 2) }
    do {
        for (name, text) in try SchemaLayoutSource.sources(schemaDirectory: arguments[2]) {
            try SchemaAccessors.write(text, to: URL(fileURLWithPath: arguments[1]).appendingPathComponent(name).path)
        }
    } catch {
        fail("\(error)")
    }
} else {
    guard arguments.count >= 2 else {
        fail("usage: embed-resources TYPE OUTPUT FILE... | --schema-accessors DIRECTORY SCHEMA", status: 2)
    }
    do {
        try SchemaAccessors.write(try EmbeddedFiles.source(typeName: arguments[0], inputs: Array(arguments.dropFirst(2))),
                                  to: arguments[1])
    } catch {
        fail("\(error)")
    }
}
