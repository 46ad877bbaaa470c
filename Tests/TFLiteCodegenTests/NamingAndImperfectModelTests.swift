import Foundation
import Testing
import TestSupport
@testable import TFLiteCodegen
@testable import TFLiteModel
import TFLiteRuntime

/// Issue #25 items 7-11: one naming function for the CLI and the plugins, names from the graph,
/// collisions refused, metadata that does not fit, unsupported operators warned about.
@Suite struct NamingAndImperfectModelTests {
    // MARK: Names (item 8)

    @Test func modelFileNamesGiveTypeNamesWithTheirLetters() {
        #expect(SwiftIdentifier.typeName(forModelFile: "modèle.tflite") == "Modèle")
        // The same name in NFD (as macOS file systems may give it) is written in NFC.
        #expect(SwiftIdentifier.typeName(forModelFile: "mode\u{300}le.tflite") == "Modèle")
        #expect(SwiftIdentifier.typeName(forModelFile: "模型.tflite") == "模型")
        #expect(SwiftIdentifier.typeName(forModelFile: "mobilenet_v2.tflite") == "MobilenetV2")
        #expect(SwiftIdentifier.typeName(forModelFile: "face_detector.tflite") == "FaceDetector")
        #expect(SwiftIdentifier.typeName(forModelFile: "face-detector.tflite") == "FaceDetector")
        #expect(SwiftIdentifier.typeName(forModelFile: "3d.tflite") == "Model3d")
        #expect(SwiftIdentifier.typeName(forModelFile: "-.tflite") == "Model")
        #expect(SwiftIdentifier.typeName(forModelFile: "Foundation.tflite") == "FoundationModel")
        // Format characters Swift's grammar allows never reach a name: they split words.
        #expect(SwiftIdentifier.typeName(forModelFile: "ab\u{202E}cd.tflite") == "AbCd")
        #expect(SwiftIdentifier.typeName(forModelFile: "a\u{200D}b.tflite") == "AB")
        // Symbols and emoji are not identifier characters.
        #expect(SwiftIdentifier.typeName(forModelFile: "€uro✓.tflite") == "Uro")
    }

    @Test func everyNameFromAFileIsAValidClassName() {
        for stem in ["modèle", "模型", "face-detector", "x", "_", "3", "Self", "self", "a\u{301}", "\u{301}a", "Ωmega", "ǅemal", "ß", "İstanbul", "١٢٣"] {
            let name = SwiftIdentifier.typeName(forModelFile: stem + ".tflite")
            #expect(SwiftIdentifier.isValidTypeName(name), "\(stem) → \(name)")
            #expect(GeneratedCodeCheck.problems(in: "let \(name) = 1\n").isEmpty, "\(name)")
        }
    }

    @Test func classNamesGivenByTheUserMayBeNonASCII() {
        #expect(SwiftIdentifier.isValidTypeName("Modèle"))
        #expect(SwiftIdentifier.isValidTypeName("_Private2"))
        #expect(!SwiftIdentifier.isValidTypeName("2Fast"))
        #expect(!SwiftIdentifier.isValidTypeName("Mod\u{202E}le"))
        #expect(!SwiftIdentifier.isValidTypeName("\u{301}a"))
        #expect(!SwiftIdentifier.isValidTypeName("Self"))
    }

    @Test func theCLIAndThePluginNameAFileAlike() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appending(path: "modèle.tflite")
        try FileManager.default.copyItem(at: Fixtures.url("codegen/models/PlainFloat.tflite"), to: model)
        // The plugin passes --name-from-file and expects the file SwiftIdentifier names.
        let result = try CommandRunner.run("tflcodegen", [model.path, "-o", directory.appending(path: "out").path, "--name-from-file"])
        #expect(result.status == 0, "\(result.stderr)")
        let swift = try String(contentsOf: directory.appending(path: "out/\(SwiftIdentifier.typeName(forModelFile: model.lastPathComponent)).swift"), encoding: .utf8)
        #expect(swift.contains("public final class Modèle: Swift.Sendable {"))
        #expect(!result.stderr.contains("--class-name"))
        // Without --name-from-file the metadata name wins; PlainFloat has none, so the file name.
        var diagnostics = Diagnostics()
        #expect(try GeneratorPipeline(configuration: .init(modelPath: model.path)).run(diagnostics: &diagnostics).className == "Modèle")
    }

    // MARK: Names from the graph (item 9)

    @Test func graphTensorNamesNameMembersWithoutMetadata() {
        #expect(SwiftSource.memberName(graphTensorName: "output_iris", fallback: "output").text == "outputIris")
        #expect(SwiftSource.memberName(graphTensorName: "serving_default_image:0", fallback: "features").text == "image")
        #expect(SwiftSource.memberName(graphTensorName: "StatefulPartitionedCall:0", fallback: "output").text == "output")
        #expect(SwiftSource.memberName(graphTensorName: "StatefulPartitionedCall_1:0", fallback: "output").text == "output")
        #expect(SwiftSource.memberName(graphTensorName: "Identity_2", fallback: "output").text == "output")
        #expect(SwiftSource.memberName(graphTensorName: "input_1", fallback: "features").text == "features")
        #expect(SwiftSource.memberName(graphTensorName: "model/dense/BiasAdd", fallback: "output").text == "output")
        #expect(SwiftSource.memberName(graphTensorName: "conv2d_21", fallback: "output").text == "conv2d21")
        #expect(SwiftSource.memberName(graphTensorName: "self", fallback: "output").text == "self_")
        #expect(SwiftSource.memberName(graphTensorName: "inputs", fallback: "features").text == "features")
    }

    // MARK: Collisions (item 7)

    @Test func twoModelsWritingOneFileAreRefusedAndNothingIsWritten() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = directory.appending(path: "face_detector.tflite"), b = directory.appending(path: "face-detector.tflite")
        try FileManager.default.copyItem(at: Fixtures.url("codegen/models/PlainFloat.tflite"), to: a)
        try FileManager.default.copyItem(at: Fixtures.url("codegen/models/NamedTensors.tflite"), to: b)
        let output = directory.appending(path: "out")
        let result = try CommandRunner.run("tflcodegen", [a.path, b.path, "-o", output.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("face_detector.tflite"), "\(result.stderr)")
        #expect(result.stderr.contains("face-detector.tflite"), "\(result.stderr)")
        #expect(result.stderr.contains("FaceDetector.swift"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
        // Case only: Model.swift and model.swift are one file on macOS.
        let upper = directory.appending(path: "Abc.tflite"), lower = directory.appending(path: "x/abc.tflite")
        try FileManager.default.createDirectory(at: directory.appending(path: "x"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: a, to: upper)
        try FileManager.default.copyItem(at: a, to: lower)
        let copies = try CommandRunner.run("tflcodegen", [upper.path, lower.path, "-o", output.path, "--copy-model"])
        #expect(copies.status != 0)
        #expect(copies.stderr.contains("would both write"), "\(copies.stderr)")
        // Distinct names: both written in one run.
        let both = try CommandRunner.run("tflcodegen", [a.path, Fixtures.url("codegen/models/HandLandmarkLike.tflite").path, "-o", output.path])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(FileManager.default.fileExists(atPath: output.appending(path: "FaceDetector.swift").path))
        #expect(FileManager.default.fileExists(atPath: output.appending(path: "HandLandmarkLike.swift").path))
    }

    @Test func aWrapperGeneratedFromAnotherModelIsNotOverwritten() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out")
        let first = try CommandRunner.run("tflcodegen", [Fixtures.url("codegen/models/PlainFloat.tflite").path, "-o", output.path, "--class-name", "Shared"])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: output.appending(path: "Shared.swift"))
        let second = try CommandRunner.run("tflcodegen", [Fixtures.url("codegen/models/NamedTensors.tflite").path, "-o", output.path, "--class-name", "Shared"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("was generated from PlainFloat.tflite"), "\(second.stderr)")
        #expect(second.stderr.contains("NamedTensors.tflite"), "\(second.stderr)")
        #expect(try Data(contentsOf: output.appending(path: "Shared.swift")) == before)
        // The same model again regenerates in place.
        let again = try CommandRunner.run("tflcodegen", [Fixtures.url("codegen/models/PlainFloat.tflite").path, "-o", output.path, "--class-name", "Shared"])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func classNameWithSeveralModelsIsAnArgumentError() throws {
        let model = Fixtures.url("codegen/models/PlainFloat.tflite").path
        let result = try CommandRunner.run("tflcodegen", [model, model, "-o", "/nonexistent/never", "--class-name", "X"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--class-name names one wrapper"), "\(result.stderr)")
    }

    // MARK: Metadata that does not fit (item 10)

    @Test func metadataThatDoesNotFitGivesTheGenericWrapperWithAWarning() throws {
        let path = Fixtures.url("codegen/models/HandLandmarkLike.tflite").path
        var diagnostics = Diagnostics()
        let files = try GeneratorPipeline(configuration: .init(modelPath: path)).run(diagnostics: &diagnostics)
        let warning = try #require(diagnostics.all.first { $0.message.contains("does not fit") })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("handedness.txt has 2 labels but the tensor's class axis has 63 entries"))
        #expect(warning.context?.contains("output_landmarks") == true)
        #expect(!diagnostics.hasErrors)
        #expect(files.className == "HandLandmarkLike")
        #expect(files.swiftSource.contains("public var outputLandmarks: TFLiteRuntime.ShapedArray<Swift.Float>"))
        #expect(files.documentation.contains("handedness.txt has 2 labels"))

        // --strict-metadata: the mismatch is an error.
        var strict = Diagnostics()
        #expect(throws: CodegenError.self) {
            try GeneratorPipeline(configuration: .init(modelPath: path, metadataUse: .strict)).run(diagnostics: &strict)
        }
        #expect(strict.errors.contains { $0.message.contains("handedness.txt has 2 labels") })

        // --ignore-metadata: no metadata read, no mismatch reported.
        var ignored = Diagnostics()
        let generic = try GeneratorPipeline(configuration: .init(modelPath: path, metadataUse: .ignore)).run(diagnostics: &ignored)
        #expect(!ignored.all.contains { $0.message.contains("does not fit") || $0.message.contains("no metadata") })
        #expect(generic.swiftSource.contains("Generated ignoring HandLandmarkLike.tflite's metadata"))
        #expect(generic.className == "HandLandmarkLike")
    }

    @Test func aClassificationOfManyAnchorsFallsBack() throws {
        var diagnostics = Diagnostics()
        let files = try GeneratorPipeline(configuration: .init(modelPath: Fixtures.url("codegen/models/PalmDetectionLike.tflite").path))
            .run(diagnostics: &diagnostics)
        #expect(diagnostics.all.contains { $0.severity == .warning && $0.message.contains("a classification output needs shape [1, classes], but the tensor is [1, 8, 1]") })
        #expect(files.swiftSource.contains("public var outputScores: TFLiteRuntime.ShapedArray<Swift.Float>"))
    }

    @Test func theCLIPrintsWarningsEvenWhenQuiet() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.run("tflcodegen", [Fixtures.url("codegen/models/HandLandmarkLike.tflite").path, "-o", directory.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: HandLandmarkLike.tflite: output tensor 1"), "\(result.stderr)")
        let strict = try CommandRunner.run("tflcodegen", [Fixtures.url("codegen/models/HandLandmarkLike.tflite").path, "-o", directory.appending(path: "strict").path, "--strict-metadata"])
        #expect(strict.status != 0)
        #expect(strict.stderr.contains("error: HandLandmarkLike.tflite"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending(path: "strict").path))
    }

    // MARK: Unsupported operators (item 11)

    @Test func operatorsTheRuntimeLacksAreWarnedAboutByName() throws {
        var model = ParsedModel(fileName: "m.tflite", inputs: [], outputs: [], metadata: nil, packedTexts: [:])
        func code(_ builtin: BuiltinOperator, _ custom: String? = nil) -> OperatorCode {
            OperatorCode(builtinCode: builtin, deprecatedBuiltinCode: 0, rawBuiltinCode: builtin.rawValue, customCode: custom, version: 1)
        }
        model.operatorCodes = [code(.fullyConnected), code(.hashtable), code(.custom, "NotAKernel"), code(.custom, "Convolution2DTransposeBias")]
        var diagnostics = Diagnostics()
        OperatorSupport.check(model, supports: { KernelRegistry.supports($0) }, diagnostics: &diagnostics)
        let messages = diagnostics.all.map(\.message)
        #expect(diagnostics.all.allSatisfy { $0.severity == .warning })
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.contains { $0.contains("no kernel for operator HASHTABLE") && !$0.contains("FULLY_CONNECTED") })
        #expect(messages.contains { $0.contains("\"NotAKernel\"") && $0.contains("customOperators.register") && !$0.contains("Convolution2DTransposeBias") })
        // A model the runtime runs gets no such warning.
        var plain = Diagnostics()
        _ = try GeneratorPipeline(configuration: .init(modelPath: Fixtures.url("codegen/models/ImageClassifierFloat.tflite").path),
                                  operatorSupport: { KernelRegistry.supports($0) }).run(diagnostics: &plain)
        #expect(!plain.all.contains { $0.message.contains("kernel") })
        // Through the pipeline, on a real file: the model's operators as they are read.
        var none = Diagnostics()
        _ = try GeneratorPipeline(configuration: .init(modelPath: Fixtures.url("codegen/models/ImageClassifierFloat.tflite").path),
                                  operatorSupport: { _ in false }).run(diagnostics: &none)
        #expect(none.all.contains { $0.message.hasPrefix("TFLiteRuntime has no kernel for operator") && $0.context == "ImageClassifierFloat.tflite" })
    }
}
