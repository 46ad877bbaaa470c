import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// Every check of `MetadataValidator`, each on a broken copy of a good fixture.
@Suite struct MetadataValidatorTests {
    typealias P = PopulateFixtures
    static let fixture = Fixtures.url("metadata/image_classifier_float")
    static let labels = Array("daisy\ndandelion\nroses\nsunflowers\ntulips\n".utf8)

    /// The fixture's metadata (float image in [1,32,32,3], float scores [1,5] with labels.txt).
    func good() throws -> ModelMetadata {
        try #require(try ModelFile(contentsOf: Self.fixture.appending(path: "model.tflite").path).metadata())
    }

    func findings(_ metadata: ModelMetadata, model: String = P.plain("image_classifier_float"),
                  files: [(String, [UInt8])] = [("labels.txt", labels)]) throws -> [Diagnostic] {
        let validator = MetadataValidator(model: try Model(contentsOf: model), packedNames: files.map(\.0)) { name in
            files.first { $0.0 == name }?.1
        }
        return validator.validate(metadata)
    }

    func expectFinding(_ found: [Diagnostic], rule: String, path: String, severity: Diagnostic.Severity = .error,
                       forceable: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let match = found.first { $0.rule == rule && $0.path == path }
        #expect(match?.severity == severity, "\(rule) at \(path) in \(found)", sourceLocation: sourceLocation)
        if let forceable { #expect(match?.forceable == forceable, sourceLocation: sourceLocation) }
    }

    @Test(arguments: Fixtures.metadataCases())
    func theFixturesHaveNoErrors(_ directory: URL) throws {
        let file = try ModelFile(contentsOf: directory.appending(path: "model.tflite").path)
        let metadata = try file.metadata()
        if directory.lastPathComponent == "plain_float" {  // the one fixture without metadata
            #expect(metadata == nil)
            return
        }
        let found = MetadataValidator(file: file).validate(try #require(metadata, "\(directory.lastPathComponent) has no metadata"))
        #expect(!found.hasErrors, "\(found)")
    }

    @Test func tensorMetadataCountMustMatchTheModel() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].inputTensorMetadata?.append(TensorMetadata(name: "extra"))
        expectFinding(try findings(metadata), rule: "tensor-count", path: "subgraph_metadata[0].input_tensor_metadata", forceable: false)
        metadata = try good()
        metadata.subgraphMetadata?[0].outputTensorMetadata = []
        expectFinding(try findings(metadata), rule: "tensor-count", path: "subgraph_metadata[0].output_tensor_metadata", forceable: false)
    }

    @Test func labelLinesMustMatchTheLabelledAxis() throws {
        let found = try findings(try good(), files: [("labels.txt", Array("a\nb\nc\n".utf8))])
        // Not forceable: the runtime and tflcodegen refuse such a model.
        expectFinding(found, rule: "label-count", path: "subgraph_metadata[0].output_tensor_metadata[0].associated_files[0]", forceable: false)
        #expect(found.first { $0.rule == "label-count" }?.message.contains("3 labels") == true)
        #expect(found.first { $0.rule == "label-count" }?.message.contains("5 on axis 1") == true)
        // A trailing newline or final empty lines are not labels.
        #expect(!(try findings(try good(), files: [("labels.txt", Array("a\nb\nc\nd\ne\n\n".utf8))])).hasErrors)
    }

    @Test func normalizationNeedsOneValueOrOnePerChannel() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].inputTensorMetadata?[0].processUnits = [
            ProcessUnit(options: .normalization(NormalizationOptions(mean: [1, 2], std: [1, 2]))),
        ]
        let path = "subgraph_metadata[0].input_tensor_metadata[0].process_units[0].options"
        let found = try findings(metadata)
        expectFinding(found, rule: "normalization", path: "\(path).mean")
        expectFinding(found, rule: "normalization", path: "\(path).std")
        metadata.subgraphMetadata?[0].inputTensorMetadata?[0].processUnits = [
            ProcessUnit(options: .normalization(NormalizationOptions(mean: [1, 2, 3], std: [1, 2, 3]))),
        ]
        #expect(!(try findings(metadata)).contains { $0.rule == "normalization" }, "one per channel (3)")
    }

    @Test func standardDeviationMustNotBeZero() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].inputTensorMetadata?[0].processUnits = [
            ProcessUnit(options: .normalization(NormalizationOptions(mean: [0], std: [0]))),
        ]
        expectFinding(try findings(metadata), rule: "normalization",
                      path: "subgraph_metadata[0].input_tensor_metadata[0].process_units[0].options.std[0]", forceable: false)
    }

    @Test func duplicatePackedNamesAreAnError() throws {
        let found = try findings(try good(), files: [("labels.txt", Self.labels), ("labels.txt", Self.labels)])
        expectFinding(found, rule: "duplicate-file", path: "associated files[labels.txt]", forceable: false)
    }

    @Test func aNamedFileMustBePacked() throws {
        let found = try findings(try good(), files: [])
        expectFinding(found, rule: "file-missing", path: "subgraph_metadata[0].output_tensor_metadata[0].associated_files[0]", forceable: false)
    }

    @Test func aPackedFileMustBeNamed() throws {
        let found = try findings(try good(), files: [("labels.txt", Self.labels), ("notes.txt", [])])
        expectFinding(found, rule: "file-unused", path: "associated files[notes.txt]", forceable: true)
    }

    @Test func fileNamesMustBeBasenames() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].associatedFiles?[0].name = "dir/labels.txt"
        expectFinding(try findings(metadata), rule: "file-name",
                      path: "subgraph_metadata[0].output_tensor_metadata[0].associated_files[0].name", forceable: false)
    }

    @Test func statsMustFitTheTensorType() throws {
        // The int8 fixture's tensors are uint8 (quantized): stats are raw values in [0, 255].
        let model = P.plain("image_classifier_int8")
        var metadata = try #require(try ModelFile(contentsOf: Fixtures.url("metadata/image_classifier_int8/model.tflite").path).metadata())
        #expect(!(try findings(metadata, model: model)).hasErrors)
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].stats = Stats(max: [1.0], min: [0.0])
        #expect(!(try findings(metadata, model: model)).hasErrors, "0 and 1 are uint8 values")
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].stats = Stats(max: [0.5], min: [0])
        let found = try findings(metadata, model: model)
        expectFinding(found, rule: "stats", path: "subgraph_metadata[0].output_tensor_metadata[0].stats.max[0]")
        #expect(found.first { $0.rule == "stats" }?.message.contains("quantized") == true)
        metadata.subgraphMetadata?[0].inputTensorMetadata?[0].stats = Stats(max: [300], min: [-1])
        let outOfRange = try findings(metadata, model: model)
        expectFinding(outOfRange, rule: "stats", path: "subgraph_metadata[0].input_tensor_metadata[0].stats.max[0]")
        expectFinding(outOfRange, rule: "stats", path: "subgraph_metadata[0].input_tensor_metadata[0].stats.min[0]")
    }

    @Test func statsMinMustNotExceedMax() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].stats = Stats(max: [0], min: [1])
        expectFinding(try findings(metadata), rule: "stats", path: "subgraph_metadata[0].output_tensor_metadata[0].stats.min[0]")
    }

    @Test func imageContentNeedsAFourDimensionalTensor() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].content = Content(contentProperties: .image(ImageProperties(colorSpace: .rgb)))
        expectFinding(try findings(metadata), rule: "image-rank", path: "subgraph_metadata[0].output_tensor_metadata[0].content")
    }

    @Test func colourSpaceShouldMatchTheChannels() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].inputTensorMetadata?[0].content = Content(contentProperties: .image(ImageProperties(colorSpace: .grayscale)))
        expectFinding(try findings(metadata), rule: "color-space",
                      path: "subgraph_metadata[0].input_tensor_metadata[0].content.content_properties.color_space", severity: .warning)
    }

    @Test func tensorGroupsMustNameExistingTensors() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].outputTensorGroups = [TensorGroup(name: "g", tensorNames: ["probability", "nope"])]
        metadata.minParserVersion = "1.2.0"
        let found = try findings(metadata)
        expectFinding(found, rule: "tensor-group", path: "subgraph_metadata[0].output_tensor_groups[0].tensor_names[1]")
        #expect(!found.contains { $0.path.hasSuffix("tensor_names[0]") })
    }

    @Test func minParserVersionMustCoverTheFeatures() throws {
        var metadata = try good()
        metadata.subgraphMetadata?[0].outputTensorGroups = [TensorGroup(name: "g", tensorNames: ["probability"])]
        let found = try findings(metadata)
        expectFinding(found, rule: "min-parser-version", path: "min_parser_version")
        #expect(found.first { $0.rule == "min-parser-version" }?.message.contains("output_tensor_groups") == true)
        metadata.minParserVersion = "1.3.0"
        expectFinding(try findings(metadata), rule: "min-parser-version", path: "min_parser_version", severity: .note)
    }

    @Test func moreThanOneSubgraphMetadataIsAnError() throws {
        var metadata = try good()
        metadata.subgraphMetadata?.append(SubGraphMetadata())
        let found = try findings(metadata)
        expectFinding(found, rule: "subgraph-count", path: "subgraph_metadata")
        expectFinding(found, rule: "subgraph-count", path: "subgraph_metadata[1]", forceable: false)
    }

    @Test func scoreCalibrationNeedsAWellFormedFileOfOneLinePerClass() throws {
        var metadata = try good()
        let calibration = AssociatedFile(name: "calibration.txt", type: .tensorAxisScoreCalibration)
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].associatedFiles?.append(calibration)
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].processUnits = [
            ProcessUnit(options: .scoreCalibration(ScoreCalibrationOptions(scoreTransformation: .log))),
        ]
        let good = Array("1,1,0\n\n0.5,2,0,0.1\n1,1,0\n1,1,0\n".utf8)
        #expect(!(try findings(metadata, files: [("labels.txt", Self.labels), ("calibration.txt", good)])).hasErrors)
        let bad = Array("1,1\n-1,1,0\nx,1,0\n".utf8)
        let found = try findings(metadata, files: [("labels.txt", Self.labels), ("calibration.txt", bad)])
        let path = "subgraph_metadata[0].output_tensor_metadata[0].associated_files[1]"
        let messages = found.filter { $0.rule == "score-calibration" && $0.path == path }.map(\.message)
        #expect(messages.contains { $0.contains("line 1: expected 3 or 4 numbers (scale,slope,offset[,min_score]), got 2 values") })
        #expect(messages.contains { $0.contains("line 2: scale must be ≥ 0, got -1") })
        #expect(messages.contains { $0.contains("line 3: expected 3 or 4 numbers (scale,slope,offset[,min_score]); \"x\" is not a finite number") })
        // Fewer lines than classes: the others get the default score (a warning: the Task Library wants one per class).
        #expect(found.contains { $0.rule == "score-calibration" && $0.severity == .warning && $0.message.contains("has 3 lines") })
        // More lines than classes is an error.
        let long = Array("1,1,0\n1,1,0\n1,1,0\n1,1,0\n1,1,0\n1,1,0\n".utf8)
        expectFinding(try findings(metadata, files: [("labels.txt", Self.labels), ("calibration.txt", long)]),
                      rule: "score-calibration", path: path, forceable: false)
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].associatedFiles?.removeLast()
        expectFinding(try findings(metadata), rule: "score-calibration", path: "subgraph_metadata[0].output_tensor_metadata[0].process_units[0]")
    }

    @Test func boxIndexMustBeAPermutation() throws {
        let file = try ModelFile(contentsOf: Fixtures.url("metadata/object_detector/model.tflite").path)
        var metadata = try #require(try file.metadata())
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].content?.contentProperties =
            .boundingBox(BoundingBoxProperties(index: [0, 1, 1, 2], type: .boundaries))
        let found = MetadataValidator(file: file).validate(metadata)
        expectFinding(found, rule: "bounding-box", path: "subgraph_metadata[0].output_tensor_metadata[0].content.content_properties.index")
    }

    @Test func forceDowngradesOnlyForceableErrors() throws {
        let found = try findings(try good(), files: [("labels.txt", Array("a\n".utf8)), ("x.txt", []), ("x.txt", [])]).forced()
        #expect(found.first { $0.rule == "file-unused" }?.severity == .warning)
        #expect(found.first { $0.rule == "label-count" }?.severity == .error)
        #expect(found.first { $0.rule == "duplicate-file" }?.severity == .error)
    }
}
