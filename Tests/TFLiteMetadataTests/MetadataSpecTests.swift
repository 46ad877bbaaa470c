import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// Reading SPEC files: errors name the JSON path of the field at fault.
@Suite struct MetadataSpecTests {
    func error(_ json: String) -> ModelError? {
        do {
            _ = try MetadataSpec.parse(Data(json.utf8), source: "spec.json")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: PopulateFixtures.metadataCases)
    func theFixturesJSONIsAValidSpec(_ directory: URL) throws {
        let path = directory.appending(path: "metadata.json").path
        let spec = try MetadataSpec.load(contentsOf: path)
        #expect(try spec.canonicalJSON() == String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8))
    }

    @Test func anUnknownFieldIsNamedByItsPath() throws {
        let json = """
        {"subgraph_metadata": [{"output_tensor_metadata": [{"name": "p", "associated_files": [{"name": "l.txt", "colour": 3}]}]}]}
        """
        let found = try #require(error(json))
        #expect(found.field == "subgraph_metadata[0].output_tensor_metadata[0].associated_files[0].colour")
        #expect(found.reason.contains("unknown field"))
        #expect(found.description.hasPrefix("spec.json: subgraph_metadata[0]"))
    }

    @Test func anUnknownFieldInAUnionMemberIsFound() throws {
        let json = """
        {"subgraph_metadata": [{"input_tensor_metadata": [{"content": {"content_properties_type": "ImageProperties",
          "content_properties": {"sample_rate": 16000}}}]}]}
        """
        #expect(error(json)?.field == "subgraph_metadata[0].input_tensor_metadata[0].content.content_properties.sample_rate")
    }

    @Test func aUnionWithoutItsTypeIsExplained() throws {
        let found = try #require(error(#"{"subgraph_metadata": [{"input_tensor_metadata": [{"content": {"content_properties": {}}}]}]}"#))
        #expect(found.field == "subgraph_metadata[0].input_tensor_metadata[0].content.content_properties")
        #expect(found.reason.contains("content_properties_type"))
    }

    @Test func aWrongTypeIsNamedByItsPath() throws {
        let found = try #require(error(#"{"name": "m", "subgraph_metadata": [{"input_tensor_metadata": [{"name": ["x"]}]}]}"#))
        #expect(found.field == "subgraph_metadata[0].input_tensor_metadata[0].name")
        #expect(found.reason.contains("expected a string"))
        let number = try #require(error(#"{"subgraph_metadata": [{"input_tensor_metadata": [{"stats": {"max": ["big"]}}]}]}"#))
        #expect(number.field == "subgraph_metadata[0].input_tensor_metadata[0].stats.max[0]")
    }

    @Test func anUnknownEnumNameIsNamedByItsPath() throws {
        let found = try #require(error(#"{"associated_files": [{"name": "a", "type": "LABELS_PLEASE"}]}"#))
        #expect(found.field == "associated_files[0].type")
        #expect(found.reason.contains("LABELS_PLEASE"))
    }

    @Test func invalidJSONSaysWhere() throws {
        let found = try #require(error("{\"name\": \"x\",\n \"description\": }"))
        #expect(found.field == nil)
        #expect(found.reason.contains("not valid JSON"))
        #expect(error("[1, 2]")?.reason.contains("expected a JSON object") == true)
    }

    @Test func nullIsRefusedWithAHint() throws {
        let found = try #require(error(#"{"name": null}"#))
        #expect(found.field == "name")
        #expect(found.reason.contains("leave the field out"))
    }

    @Test func aMissingFileIsOneLine() throws {
        do {
            _ = try MetadataSpec.load(contentsOf: "/nonexistent/spec.json")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description == "/nonexistent/spec.json: --metadata: cannot open: No such file or directory")
        }
    }
}
