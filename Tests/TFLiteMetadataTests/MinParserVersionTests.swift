import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// `min_parser_version` as tflite-support computes it (`metadata_version.cc`); the interop test
/// compares with its C++ function on every file populate writes.
@Suite struct MinParserVersionTests {
    @Test(arguments: PopulateFixtures.metadataCases)
    func fixturesRecordWhatWeCompute(_ directory: URL) throws {
        let metadata = try #require(try ModelFile(contentsOf: directory.appending(path: "model.tflite").path).metadata())
        #expect(metadata.requiredParserVersion().description == metadata.minParserVersion)
    }

    static func tensor(_ files: [AssociatedFile]? = nil, units: [ProcessUnit]? = nil, content: ContentProperties? = nil) -> ModelMetadata {
        ModelMetadata(subgraphMetadata: [SubGraphMetadata(inputTensorMetadata: [
            TensorMetadata(content: content.map { Content(contentProperties: $0) }, processUnits: units, associatedFiles: files),
        ])])
    }

    static let cases: [(String, ModelMetadata, String)] = [
        ("nothing", ModelMetadata(), "1.0.0"),
        ("vocabulary file", ModelMetadata(associatedFiles: [AssociatedFile(name: "v", type: .vocabulary)]), "1.0.1"),
        ("vocabulary on a tensor", tensor([AssociatedFile(name: "v", type: .vocabulary)]), "1.0.1"),
        ("BERT tokenizer on a tensor", tensor(units: [ProcessUnit(options: .bertTokenizer(BertTokenizerOptions()))]), "1.1.0"),
        ("SentencePiece tokenizer", tensor(units: [ProcessUnit(options: .sentencePieceTokenizer(SentencePieceTokenizerOptions()))]), "1.1.0"),
        ("empty subgraph input process units", ModelMetadata(subgraphMetadata: [SubGraphMetadata(inputProcessUnits: [])]), "1.1.0"),
        ("subgraph output process units", ModelMetadata(subgraphMetadata: [SubGraphMetadata(outputProcessUnits: [ProcessUnit()])]), "1.1.0"),
        ("input tensor groups", ModelMetadata(subgraphMetadata: [SubGraphMetadata(inputTensorGroups: [])]), "1.2.0"),
        ("output tensor groups", ModelMetadata(subgraphMetadata: [SubGraphMetadata(outputTensorGroups: [TensorGroup(name: "g")])]), "1.2.0"),
        ("regex tokenizer", tensor(units: [ProcessUnit(options: .regexTokenizer(RegexTokenizerOptions()))]), "1.2.1"),
        ("audio properties", tensor(content: .audio(AudioProperties())), "1.3.0"),
        ("SCANN index file", tensor([AssociatedFile(name: "s", type: .scannIndexFile)]), "1.4.0"),
        ("associated file version", ModelMetadata(subgraphMetadata: [SubGraphMetadata(associatedFiles: [AssociatedFile(name: "a", version: "2")])]), "1.4.1"),
        ("custom metadata (even empty)", ModelMetadata(subgraphMetadata: [SubGraphMetadata(customMetadata: [])]), "1.5.0"),
        // As the C++ walk: files inside tokenizer options do not count.
        ("versioned vocabulary inside a BERT tokenizer",
         tensor(units: [ProcessUnit(options: .bertTokenizer(BertTokenizerOptions(vocabFile: [AssociatedFile(name: "v", type: .scannIndexFile, version: "1")])))]),
         "1.1.0"),
        ("normalization only", tensor(units: [ProcessUnit(options: .normalization(NormalizationOptions(mean: [0], std: [1])))]), "1.0.0"),
    ]

    @Test func eachFeatureNeedsItsVersion() {
        for (name, metadata, expected) in Self.cases {
            #expect(metadata.requiredParserVersion().description == expected, "\(name)")
        }
    }

    @Test func theNewestFeatureIsNamedWithItsPath() throws {
        let metadata = ModelMetadata(subgraphMetadata: [SubGraphMetadata(outputTensorGroups: [TensorGroup(name: "g")], customMetadata: [])])
        let newest = try #require(metadata.newestFeature())
        #expect(newest.version == MetadataVersion(1, 5, 0))
        #expect(newest.path == "subgraph_metadata[0].custom_metadata")
    }

    @Test func versionsCompareAsNumbers() {
        #expect(MetadataVersion("1.9")! < MetadataVersion("1.14")!)
        #expect(MetadataVersion("1.14") == MetadataVersion("1.14.0"))
        #expect(MetadataVersion("1.x") == nil)
        #expect(MetadataVersion("1.2.3.4") == nil)
        #expect(MetadataVersion("") == nil)
    }
}
