import Foundation
import Testing
import TestSupport
import TFLiteMetadata
@testable import TFLiteCodegen

/// The model's own description (the schema's `Model.description`) documents the wrapper when the
/// metadata has none, through the escaping layer like every other model text.
@Suite struct ModelDescriptionTests {
    static let input = ParsedModel.TensorInfo(name: "x", type: .float32, shape: [1, 2], isQuantized: false)
    static let output = ParsedModel.TensorInfo(name: "y", type: .float32, shape: [1, 2], isQuantized: false)

    static func generate(description: String?, metadata: ModelMetadata? = nil) throws -> GeneratedFiles {
        let model = ParsedModel(fileName: "Described.tflite", inputs: [input], outputs: [output], metadata: metadata,
                                packedTexts: [:], description: description)
        var diagnostics = Diagnostics()
        return try GeneratorPipeline(configuration: .init(modelPath: "Described.tflite")).run(model, diagnostics: &diagnostics)
    }

    /// Read from the file: the fixture models were converted by TensorFlow, which writes
    /// "MLIR Converted." into `Model.description` (PlainFloat has no metadata).
    @Test func aModelFilesDescriptionIsRead() throws {
        let model = try ParsedModel(path: Fixtures.url("codegen/models/PlainFloat.tflite").path)
        #expect(model.metadata == nil)
        #expect(model.description == "MLIR Converted.")
    }

    @Test func aDescriptionWithoutMetadataDocumentsTheWrapper() throws {
        let files = try Self.generate(description: "Doubles its input.")
        #expect(files.swiftSource.contains("/// Described: a typed wrapper for Described.tflite.\n///\n/// Doubles its input.\n"))
        #expect(files.documentation.contains("Doubles its input."))
    }

    @Test func theMetadataDescriptionComesFirst() throws {
        let files = try Self.generate(description: "From the model.", metadata: ModelMetadata(name: "Described", description: "From the metadata."))
        #expect(files.swiftSource.contains("/// From the metadata."))
        #expect(!files.swiftSource.contains("From the model."))
    }

    /// Untrusted text: line breaks and comment terminators stay inside the doc comment.
    @Test func aHostileDescriptionStaysAComment() throws {
        let files = try Self.generate(description: "a\n*/ }\nfunc injected() {}\r\u{2028}b")
        #expect(!files.swiftSource.contains("\nfunc injected"))
        #expect(GeneratedCodeCheck.problems(in: files.swiftSource).isEmpty)
    }
}
