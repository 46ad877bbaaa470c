import Foundation
import Testing
import TestSupport
@testable import TFLiteModel

/// The verifier's layouts generated from `schemas/*.fbs` (`embed-resources --flatbuffer-layout`,
/// run by `make embed`).
@Suite struct FlatBufferLayoutTests {
    /// The committed files are what the generator makes of the schemas now.
    @Test(arguments: [("FlatBufferLayout+TFLite.swift", "tflite", "tflite.fbs"),
                      ("FlatBufferLayout+Metadata.swift", "metadata", "metadata.fbs")])
    func generatedLayoutsMatchTheSchemas(file: String, name: String, schema: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: file)
        let result = try CommandRunner.run("embed-resources", ["--flatbuffer-layout", output.path, name,
                                                               Fixtures.root.appending(path: "schemas/\(schema)").path])
        #expect(result.status == 0, "\(result.stderr)")
        let fresh = try String(contentsOf: output, encoding: .utf8)
        let committed = try String(contentsOf: Fixtures.root.appending(path: "Sources/TFLiteModel/Generated/\(file)"), encoding: .utf8)
        let same = fresh == committed
        #expect(same, "Sources/TFLiteModel/Generated/\(file) is stale (run `make embed`)")
    }

    /// Field slots follow the schema's ids, a union taking two (its type first).
    @Test func slotsFollowTheSchema() throws {
        let layout = FlatBufferLayout.tflite
        let model = layout.tables[layout.root]
        #expect(model.name == "Model")
        #expect(model.fields.map(\.name).prefix(3) == ["version", "operator_codes", "subgraphs"])
        #expect(model.fields.map(\.vtableOffset).prefix(3) == [4, 6, 8])
        let op = try #require(layout.tables.first { $0.name == "Operator" })
        let type = try #require(op.fields.first { $0.name == "builtin_options_type" })
        let value = try #require(op.fields.first { $0.name == "builtin_options" })
        #expect(value.vtableOffset == type.vtableOffset + 2)
        guard case .union(let members) = value.kind else { Issue.record("builtin_options is not a union"); return }
        #expect(members.first == .some(nil))
        #expect(members.dropFirst().allSatisfy { $0 != nil })
        #expect(FlatBufferLayout.metadata.tables[FlatBufferLayout.metadata.root].name == "ModelMetadata")
    }

    /// A schema the generator cannot lay out is refused with its file and line.
    @Test(arguments: [
        ("namespace t;\nfile_identifier \"ABCD\";\nstruct S { a:int; }\ntable T {\n  s:[S];\n}\nroot_type T;\n", ":5: T.s: vectors of S are not supported"),
        ("namespace t;\ntable T { a:int; }\n", "no root_type"),
        ("namespace t;\nfile_identifier \"ABC\";\ntable T { a:int; }\nroot_type T;\n", "no four-character file_identifier"),
    ])
    func unsupportedSchemasAreRefused(_ text: String, _ message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = directory.appending(path: "bad.fbs")
        try Data(text.utf8).write(to: schema)
        let output = directory.appending(path: "out.swift")
        let result = try CommandRunner.run("embed-resources", ["--flatbuffer-layout", output.path, "bad", schema.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.fbs") && result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
