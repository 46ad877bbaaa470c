import Foundation

// embed-resources TYPE OUTPUT FILE...
//   Writes a Swift file declaring `enum TYPE { static let files: [String: String] }`, mapping each
//   input's file name to its text. `make embed` runs it for schemas/ and templates/.
// embed-resources --schema-accessors DIRECTORY SCHEMA
//   Writes `BuiltinOperator+Names.swift` (a `BuiltinOperator` constant per value of the schema's
//   enum) and `OperatorOptions+Tables.swift` (a struct per member table of the options unions)
//   into DIRECTORY. `make embed` runs it for schemas/tflite.fbs.
// embed-resources --flatbuffer-layout OUTPUT NAME SCHEMA
//   Writes `FlatBufferLayout.NAME`, the tables of SCHEMA as the verifier walks them, to OUTPUT.
//   `make embed` runs it for schemas/tflite.fbs and schemas/metadata.fbs.

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("embed-resources: \(message)\n".utf8))
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--flatbuffer-layout" {
    guard arguments.count == 4 else { fail("usage: embed-resources --flatbuffer-layout OUTPUT NAME SCHEMA", status: 2) }
    do {
        let path = arguments[3]
        guard let text = try? String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) else {
            throw SchemaAccessors.Problem(description: "cannot read \(path) as UTF-8")
        }
        let source = try LayoutSource.make(try SchemaText(text: text, file: path), name: arguments[2], file: path)
        try SchemaAccessors.write(source, to: arguments[1])
    } catch {
        fail("\(error)")
    }
} else if arguments.first == "--schema-accessors" {
    guard arguments.count == 3 else { fail("usage: embed-resources --schema-accessors DIRECTORY SCHEMA", status: 2) }
    do {
        for (name, text) in try SchemaAccessors.sources(schemaPath: arguments[2]) {
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
