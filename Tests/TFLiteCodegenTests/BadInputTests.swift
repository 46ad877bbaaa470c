import Foundation
import Testing
import TestSupport
import TFLiteMetadata
import TFLiteModel
@testable import TFLiteCodegen

/// Models whose metadata does not fit them: with `--strict-metadata` a clear error naming the
/// tensor, before anything is written; by default the same text as a warning and the generic wrapper.
@Suite struct BadInputTests {
    typealias Info = ParsedModel.TensorInfo

    static let image = Info(name: "serving_default_image:0", type: .float32, shape: [1, 32, 32, 3], isQuantized: false)
    static let scores = Info(name: "StatefulPartitionedCall:0", type: .float32, shape: [1, 5], isQuantized: false)

    static func imageMeta(colorSpace: ColorSpaceType = .rgb) -> TensorMetadata {
        TensorMetadata(name: "image", content: Content(contentProperties: .image(ImageProperties(colorSpace: colorSpace))),
                       processUnits: [ProcessUnit(options: .normalization(NormalizationOptions(mean: [127.5], std: [127.5])))])
    }

    static func probabilityMeta(labels: String = "labels.txt") -> TensorMetadata {
        TensorMetadata(name: "probability", content: Content(contentProperties: .feature(FeatureProperties())),
                       associatedFiles: [AssociatedFile(name: labels, type: .tensorAxisLabels)])
    }

    static func generate(inputs: [Info] = [image], outputs: [Info] = [scores], input: [TensorMetadata], output: [TensorMetadata],
                         packed: [String: String] = ["labels.txt": "a\nb\nc\nd\ne\n"], strict: Bool = true) throws(CodegenError) -> (GeneratedFiles, Diagnostics) {
        let metadata = ModelMetadata(name: "Test", subgraphMetadata: [SubGraphMetadata(inputTensorMetadata: input, outputTensorMetadata: output)])
        let model = ParsedModel(fileName: "bad.tflite", inputs: inputs, outputs: outputs, metadata: metadata, packedTexts: packed)
        var diagnostics = Diagnostics()
        // --strict-metadata: by default metadata that does not fit gives the generic wrapper
        // (NamingAndImperfectModelTests, metadataThatDoesNotFitFallsBack below).
        let files = try GeneratorPipeline(configuration: .init(modelPath: "bad.tflite", metadataUse: strict ? .strict : .fallBack)).run(model, diagnostics: &diagnostics)
        return (files, diagnostics)
    }

    /// The error's text, failing the test when generation succeeds.
    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
        } catch let error as CodegenError {
            return error.description
        } catch {
            Issue.record("unexpected error \(error)")
            return ""
        }
        Issue.record("generation succeeded")
        return ""
    }

    /// Without --strict-metadata, each mismatch is a warning with the same text and the wrapper is
    /// the generic one (issue #25 item 10).
    @Test func metadataThatDoesNotFitFallsBack() throws {
        let (files, diagnostics) = try Self.generate(input: [Self.imageMeta()], output: [Self.probabilityMeta()],
                                                     packed: ["labels.txt": "a\nb\nc\n"], strict: false)
        #expect(!diagnostics.hasErrors)
        let warning = try #require(diagnostics.all.first { $0.message.contains("does not fit") })
        #expect(warning.message.contains("labels.txt has 3 labels but the tensor's class axis has 5 entries"))
        #expect(warning.context == "bad.tflite: output tensor 0 \"probability\" (StatefulPartitionedCall:0)")
        #expect(files.className == "Test")
        #expect(files.swiftSource.contains("public var image: [Swift.Float]"))
        #expect(files.swiftSource.contains("public var output: TFLiteRuntime.ShapedArray<Swift.Float>"))
        #expect(files.swiftSource.contains("// bad.tflite's metadata does not fit the model"))
    }

    @Test func consistentMetadataGenerates() throws {
        let (files, diagnostics) = try Self.generate(input: [Self.imageMeta()], output: [Self.probabilityMeta()])
        #expect(!diagnostics.hasErrors)
        #expect(files.swiftSource.contains("public var probability: [TFLiteRuntime.Category]"))
    }

    @Test func labelCountMustMatchTheClassAxis() {
        let message = Self.failure { _ = try Self.generate(input: [Self.imageMeta()], output: [Self.probabilityMeta()], packed: ["labels.txt": "a\nb\nc\n"]) }
        #expect(message.contains("output tensor 0 \"probability\" (StatefulPartitionedCall:0)"))
        #expect(message.contains("labels.txt has 3 labels but the tensor's class axis has 5 entries"))
    }

    /// The error names the model file (`CodegenError.init(file:diagnostics:)` dropped it).
    @Test func collectedErrorsNameTheModelFile() {
        let message = Self.failure { _ = try Self.generate(input: [Self.imageMeta()], output: [Self.probabilityMeta(labels: "missing.txt")]) }
        #expect(message.hasPrefix("bad.tflite: output tensor 0 \"probability\""), "\(message)")
        let inputError = Self.failure { _ = try Self.generate(input: [Self.imageMeta(colorSpace: .grayscale)], output: [Self.probabilityMeta()]) }
        #expect(inputError.hasPrefix("bad.tflite: input tensor 0 \"image\""), "\(inputError)")
        let error = CodegenError(file: "m\u{1B}.tflite", diagnostics: [
            Diagnostic(.error, "one", context: "a"), Diagnostic(.error, "two"), Diagnostic(.error, "three", context: "m\u{1B}.tflite: b"),
        ])
        #expect(error.file == "m\u{1B}.tflite")
        #expect(error.description == "m\\u{1b}.tflite: a: one\n  two\n  b: three")
    }

    @Test func labelFileMustBePacked() {
        let message = Self.failure { _ = try Self.generate(input: [Self.imageMeta()], output: [Self.probabilityMeta(labels: "missing.txt")]) }
        #expect(message.contains("\"probability\""))
        #expect(message.contains("label file \"missing.txt\" is not packed"))
    }

    @Test func tensorCountsMustMatch() {
        let message = Self.failure { _ = try Self.generate(input: [Self.imageMeta(), Self.imageMeta()], output: [Self.probabilityMeta()]) }
        #expect(message.contains("input_tensor_metadata"))
        #expect(message.contains("describes 2 input tensor(s) but the model has 1 (serving_default_image:0)"))
    }

    @Test func imageShapeMustFitTheColourSpace() {
        let gray = Self.failure { _ = try Self.generate(input: [Self.imageMeta(colorSpace: .grayscale)], output: [Self.probabilityMeta()]) }
        #expect(gray.contains("input tensor 0 \"image\" (serving_default_image:0)"))
        #expect(gray.contains("GRAYSCALE image input needs shape [1, height, width, 1], but the tensor is [1, 32, 32, 3]"))
    }

    @Test func unknownContentIsAnError() {
        let unknown = Self.failure { _ = try Self.generate(input: [Self.imageMeta(colorSpace: .unknown)], output: [Self.probabilityMeta()]) }
        #expect(unknown.contains("\"image\""))
        #expect(unknown.contains("colour space UNKNOWN"))

        let box = TensorMetadata(name: "boxes", content: Content(contentProperties: .boundingBox(BoundingBoxProperties())))
        let boxInput = Self.failure { _ = try Self.generate(input: [box], output: [Self.probabilityMeta()]) }
        #expect(boxInput.contains("input tensor 0 \"boxes\""))
        #expect(boxInput.contains("unknown content for an input"))

        let audio = TensorMetadata(name: "sound", content: Content(contentProperties: .audio(AudioProperties(sampleRate: 16000, channels: 1))))
        let audioOutput = Self.failure { _ = try Self.generate(input: [Self.imageMeta()], output: [audio]) }
        #expect(audioOutput.contains("output tensor 0 \"sound\""))
        #expect(audioOutput.contains("unknown content for an output"))
    }

    @Test func normalizationMustHaveOneValueOrOnePerChannel() {
        var meta = Self.imageMeta()
        meta.processUnits = [ProcessUnit(options: .normalization(NormalizationOptions(mean: [1, 2], std: [1])))]
        let message = Self.failure { _ = try Self.generate(input: [meta], output: [Self.probabilityMeta()]) }
        #expect(message.contains("normalization mean has 2 values; expected 1 or 3"))
    }

    @Test func calibrationFileIsChecked() {
        var meta = Self.probabilityMeta()
        meta.associatedFiles?.append(AssociatedFile(name: "calibration.txt", type: .tensorAxisScoreCalibration))
        meta.processUnits = [ProcessUnit(options: .scoreCalibration(ScoreCalibrationOptions(scoreTransformation: .log, defaultScore: 0.1)))]
        let message = Self.failure {
            _ = try Self.generate(input: [Self.imageMeta()], output: [meta],
                                  packed: ["labels.txt": "a\nb\nc\nd\ne\n", "calibration.txt": "1,2,3\n-1,2,3\n1,2\n"])
        }
        #expect(message.contains("calibration.txt line 2: scale must be ≥ 0"))
        #expect(message.contains("calibration.txt line 3: expected 3 or 4 numbers"))
    }

    @Test func detectionNeedsFourValuesPerBox() {
        let location = TensorMetadata(name: "location", content: Content(contentProperties: .boundingBox(BoundingBoxProperties(index: [1, 0, 3, 2], type: .boundaries))))
        let category = TensorMetadata(name: "category", content: Content(contentProperties: .feature(FeatureProperties())))
        let score = TensorMetadata(name: "score", content: Content(contentProperties: .feature(FeatureProperties())))
        let outputs = [Info(name: "boxes", type: .float32, shape: [1, 10, 5], isQuantized: false),
                       Info(name: "classes", type: .float32, shape: [1, 10], isQuantized: false),
                       Info(name: "scores", type: .float32, shape: [1, 10], isQuantized: false)]
        let message = Self.failure { _ = try Self.generate(outputs: outputs, input: [Self.imageMeta()], output: [location, category, score]) }
        #expect(message.contains("output tensor 0 \"location\" (boxes)"))
        #expect(message.contains("4 values in the last dimension"))
    }

    @Test func sentencePieceIsRejectedAtGenerationTime() {
        let path = Fixtures.url("codegen/models/SentencePieceClassifier.tflite").path
        var diagnostics = Diagnostics()
        let message = Self.failure { _ = try GeneratorPipeline(configuration: .init(modelPath: path, metadataUse: .strict)).run(diagnostics: &diagnostics) }
        #expect(message.contains("SentencePiece tokenizer (sp.model) is not supported"))
    }

    @Test func invalidClassNameIsRejected() {
        let path = Fixtures.url("codegen/models/PlainFloat.tflite").path
        var diagnostics = Diagnostics()
        let message = Self.failure { _ = try GeneratorPipeline(configuration: .init(modelPath: path, className: "9 lives")).run(diagnostics: &diagnostics) }
        #expect(message.contains("--class-name: \"9 lives\" is not a valid Swift type name"))
    }
}
