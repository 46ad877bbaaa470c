import Foundation
import Testing
import TestSupport
import TFLiteMetadata
import TFLiteModel
@testable import TFLiteCodegen

/// The English of generated doc comments and usage documents for the cases the goldens do not
/// cover: one label, one grayscale channel, an empty metadata name.
@Suite struct GeneratedDocsGrammarTests {
    /// A grayscale image → one-class classifier with one label, metadata name `name`.
    static func generate(name: String?) throws -> GeneratedFiles {
        let image = TensorMetadata(name: "image", description: "A digit.",
                                   content: Content(contentProperties: .image(ImageProperties(colorSpace: .grayscale))),
                                   processUnits: [ProcessUnit(options: .normalization(NormalizationOptions(mean: [127.5], std: [127.5])))])
        let score = TensorMetadata(name: "score", content: Content(contentProperties: .feature(FeatureProperties())),
                                   associatedFiles: [AssociatedFile(name: "labels.txt", type: .tensorAxisLabels)])
        let subgraph = SubGraphMetadata(inputTensorMetadata: [image], outputTensorMetadata: [score])
        let metadata = ModelMetadata(name: name, subgraphMetadata: [subgraph])
        let model = ParsedModel(fileName: "Unit.tflite",
                                inputs: [.init(name: "x", type: .float32, shape: [1, 8, 8, 1], isQuantized: false)],
                                outputs: [.init(name: "y", type: .float32, shape: [1, 1], isQuantized: false)],
                                metadata: metadata, packedTexts: ["labels.txt": "seven\n"])
        var diagnostics = Diagnostics()
        return try GeneratorPipeline(configuration: GeneratorConfiguration(modelPath: "Unit.tflite")).run(model, diagnostics: &diagnostics)
    }

    @Test func oneLabelOneChannelAndArticles() throws {
        let files = try Self.generate(name: "Digit")
        for text in [files.swiftSource, files.documentation] {
            #expect(text.contains("labels.txt (1 label)"))
            #expect(!text.contains("1 labels"))
            #expect(text.contains("(x − 127.5) / 127.5"))
            #expect(!text.contains("(x − ["))
        }
        // "a `UnitInput`" was the only article before a type name.
        #expect(!files.documentation.contains("a `"))
        #expect(files.documentation.contains("takes the\n`DigitInput` struct") || files.documentation.contains("takes the `DigitInput` struct"))
    }

    @Test func emptyMetadataNameFallsBackToTheFileName() throws {
        for name in ["", "  ", nil] as [String?] {
            let files = try Self.generate(name: name)
            #expect(files.className == "Unit")
            #expect(!files.swiftSource.contains("/// : a typed wrapper"))
            #expect(files.swiftSource.contains("/// Unit: a typed wrapper for Unit.tflite."))
            #expect(files.swiftSource.contains("name: \"Unit\", modelFileName: \"Unit.tflite\""))
        }
    }

    /// Several channel values stay a list.
    @Test func perChannelNormalizationStaysAList() throws {
        let text = try String(contentsOf: Fixtures.url("codegen/goldens/FlowerClassifier.md"), encoding: .utf8)
        #expect(text.contains("(x − [123.675, 116.28, 103.53]) / [58.395, 57.12, 57.375]"))
    }
}
