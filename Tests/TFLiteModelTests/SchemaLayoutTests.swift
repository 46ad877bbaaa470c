import Foundation
import Testing
import TFLiteMetadata
import TestSupport
@testable import TFLiteModel

/// The schema layouts generated from `schemas/tflite.fbs` and `schemas/metadata.fbs`
/// (`embed-resources --schema-layout`, run by `make embed`).
@Suite struct SchemaLayoutTests {
    static let generatedFiles = ["SchemaLayout+TFLite.swift", "SchemaLayout+Metadata.swift"]

    /// The committed files are what the generator makes of the schemas now.
    @Test func generatedFilesMatchTheSchemas() throws {
        try expectGeneratedFilesCurrent("--schema-layout", schema: "schemas", files: Self.generatedFiles)
    }

    @Test func rootsAndIdentifiers() throws {
        #expect(SchemaLayout.tflite.rootTable == "Model" && SchemaLayout.tflite.fileIdentifier == "TFL3")
        #expect(SchemaLayout.metadata.rootTable == "ModelMetadata" && SchemaLayout.metadata.fileIdentifier == "M001")
        let buffer = try #require(SchemaLayout.tflite.table("Buffer"))
        #expect(buffer.field(named: "data")?.forceAlign == 16)
        guard case .scalar(let offset)? = buffer.field(named: "offset")?.kind else { Issue.record("Buffer.offset"); return }
        #expect(offset.type == .uint64 && offset.type.size == 8 && !offset.type.isSigned)
        let code = try #require(SchemaLayout.tflite.table("OperatorCode"))
        guard case .scalar(let version)? = code.field(named: "version")?.kind else { Issue.record("OperatorCode.version"); return }
        #expect(version.defaultValue == .integer(1))
        let op = try #require(SchemaLayout.tflite.table("Operator"))
        guard case .unionType("BuiltinOptions")? = op.field(id: 3)?.kind, case .unionValue("BuiltinOptions")? = op.field(id: 4)?.kind else {
            Issue.record("Operator.builtin_options"); return
        }
        #expect(op.field(named: "debug_metadata_index")?.id == 13)
        #expect(SchemaLayout.tflite.table("ResizeBilinearOptions")?.field(id: 0)?.isDeprecated == true)
        #expect(SchemaLayout.tflite.table("ResizeBilinearOptions")?.field(id: 2)?.isDeprecated == false)
    }

    /// Field ids agree with the generated options accessors, union members with flatc.
    @Test func agreesWithTheAccessorsAndFlatc() throws {
        let conv = try #require(SchemaLayout.tflite.table("Conv2DOptions"))
        #expect(conv.field(named: "stride_w")?.id == Conv2DOptions.Field.strideW.rawValue)
        #expect(conv.field(named: "dilation_h_factor")?.id == Conv2DOptions.Field.dilationHFactor.rawValue)
        for (union, qualified) in [("BuiltinOptions", "tflite.BuiltinOptions"), ("BuiltinOptions2", "tflite.BuiltinOptions2")] {
            let layout = try #require(SchemaLayout.tflite.union(union))
            for value in UInt8(1)...UInt8(255) {
                #expect(layout.member(value) == FlatBufferSchema.model.enumName(qualified, value: Int64(value)), "\(union) \(value)")
            }
        }
        let content = try #require(SchemaLayout.metadata.union("ContentProperties"))
        #expect(content.member(2) == "ImageProperties")
    }
}
