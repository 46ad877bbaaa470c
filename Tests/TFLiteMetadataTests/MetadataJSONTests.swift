import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// Our JSON is tflite-support's JSON, byte for byte, and survives round trips.
@Suite struct MetadataJSONTests {
    static let cases = Fixtures.metadataCases().filter {
        FileManager.default.fileExists(atPath: $0.appending(path: "metadata.json").path)
    }

    @Test(arguments: cases)
    func jsonEqualsTFLiteSupport(_ directory: URL) throws {
        let file = try ModelFile(contentsOf: directory.appending(path: "model.tflite").path)
        let expected = try String(contentsOf: directory.appending(path: "metadata.json"), encoding: .utf8)
        #expect(try file.metadataJSON() == expected)
    }

    @Test(arguments: cases)
    func roundTripIsStable(_ directory: URL) throws {
        let file = try ModelFile(contentsOf: directory.appending(path: "model.tflite").path)
        let expected = try String(contentsOf: directory.appending(path: "metadata.json"), encoding: .utf8)
        // binary → Swift → binary → JSON
        let metadata = try #require(try file.metadata())
        #expect(try metadata.canonicalJSON() == expected)
        // JSON → Swift → equal values
        let parsed = try ModelMetadata(json: expected)
        #expect(parsed == metadata)
        // Swift → binary → Swift
        let binary = try metadata.flatBuffer()
        let decoded = try binary.withUnsafeBytes { try ModelMetadata(flatBuffer: $0) }
        #expect(decoded == metadata)
    }

    @Test func unknownFieldIsRejected() {
        #expect(throws: ModelError.self) { try ModelMetadata(json: #"{"name": "x", "colour": 3}"#) }
    }

    @Test func wrongTypeIsRejected() {
        #expect(throws: ModelError.self) { try ModelMetadata(json: #"{"name": ["x"]}"#) }
    }

    @Test func unknownEnumNameIsRejected() {
        #expect(throws: ModelError.self) {
            try ModelMetadata(json: #"{"associated_files": [{"name": "a", "type": "LABELS_PLEASE"}]}"#)
        }
    }

    @Test func noMetadataIsNil() throws {
        let file = try ModelFile(contentsOf: Fixtures.url("metadata/plain_float/model.tflite").path)
        #expect(!file.hasMetadata)
        #expect(try file.metadataJSON() == nil)
    }

    @Test func typedValuesAreDecoded() throws {
        let file = try ModelFile(contentsOf: Fixtures.url("metadata/object_detector/model.tflite").path)
        let metadata = try #require(try file.metadata())
        let subgraph = try #require(metadata.subgraphMetadata?.first)
        let location = try #require(subgraph.outputTensorMetadata?.first)
        guard case .boundingBox(let box)? = location.content?.contentProperties else {
            Issue.record("location is not a bounding box")
            return
        }
        #expect(box.index == [1, 0, 3, 2])
        #expect(box.type == .boundaries)
        #expect(subgraph.outputTensorGroups?.first?.name == "detection_result")
        #expect(metadata.minParserVersion == "1.2.0")
    }
}
