import Testing
@testable import TFLiteModel

/// The verifier's layouts, made from the generated `SchemaLayout` (the one description of the
/// schemas, which `SchemaLayoutTests` checks against `schemas/`).
@Suite struct FlatBufferLayoutTests {
    /// Field slots follow the schema's ids, a union taking two (its type first); names resolve.
    @Test func slotsFollowTheSchema() throws {
        let layout = FlatBufferLayout.tflite
        #expect(layout.fileIdentifier == "TFL3")
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
        #expect(members.count > 100 && members.dropFirst().allSatisfy { $0 != nil })
        #expect(members.compactMap { $0 }.allSatisfy { layout.tables.indices.contains($0) })
        let conv = try #require(layout.tables.first { $0.name == "Conv2DOptions" })
        #expect(layout.tables[members[1] ?? -1].name == "Conv2DOptions" || conv.name == "Conv2DOptions")
        #expect(FlatBufferLayout.metadata.fileIdentifier == "M001")
        #expect(FlatBufferLayout.metadata.tables[FlatBufferLayout.metadata.root].name == "ModelMetadata")
    }

    /// Every table of both schemas is laid out, with every field of the description.
    @Test func everyTableAndFieldIsLaidOut() {
        let pairs: [(FlatBufferLayout, SchemaLayout.Schema)] = [(.tflite, SchemaLayout.tflite), (.metadata, SchemaLayout.metadata)]
        for (layout, schema) in pairs {
            let tables = schema.tables.filter { !$0.isStruct }
            #expect(layout.tables.map(\.name) == tables.map(\.name))
            for (laid, described) in zip(layout.tables, tables) {
                #expect(laid.fields.map(\.name) == described.fields.map(\.name), "\(described.name)")
                #expect(laid.fields.map(\.vtableOffset) == described.fields.map { 4 + 2 * $0.id }, "\(described.name)")
            }
        }
    }
}
