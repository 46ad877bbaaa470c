import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// Inputs that crashed a fuzz target (`scripts/fuzz.sh`, docs/FUZZING.md), minimized and kept in
/// `Tests/Fixtures/fuzz-regressions/<target>/`. Each runs through everything its target runs;
/// a regression crashes this process. Known ones also check the error they now get.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [URL] {
        let directory = Fixtures.url("fuzz-regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appending(path: $0) }
    }

    /// What the FuzzModel target does with one input.
    @Test(arguments: inputs("model"))
    func model(_ url: URL) throws {
        ReadAsTheCommandsDo.run(try Data(contentsOf: url), source: url.lastPathComponent)
    }

    /// What the FuzzMetadataFlatBuffer target does with one input.
    @Test(arguments: inputs("metadata-flatbuffer"))
    func metadataFlatBuffer(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        data.withUnsafeBytes { bytes in
            _ = try? ModelMetadata.json(fromFlatBuffer: bytes, source: url.lastPathComponent)
            if let metadata = try? ModelMetadata(flatBuffer: bytes, source: url.lastPathComponent) {
                _ = try? metadata.flatBuffer()
                _ = try? metadata.canonicalJSON()
                _ = metadata.requiredParserVersion()
            }
        }
    }

    /// libflatbuffers' JSON printer asserted on a union value whose `_type` field is absent
    /// (found by FuzzModel and FuzzMetadataFlatBuffer); now a one-line error naming the field.
    @Test func unionValueWithoutTypeIsAnError() throws {
        let model = Fixtures.url("fuzz-regressions/model/union-value-without-type.tflite")
        let file = try ModelFile(contentsOf: model.path)
        let error = #expect(throws: (any Error).self) { try file.metadataJSON() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("input_process_units[0].options: a union value without a valid type"))

        let buffer = try Data(contentsOf: Fixtures.url("fuzz-regressions/metadata-flatbuffer/union-value-without-type.bin"))
        let failed = buffer.withUnsafeBytes { bytes in
            (try? ModelMetadata.json(fromFlatBuffer: bytes, source: "buffer")) == nil
        }
        #expect(failed)

        // The same defect built by hand: one ProcessUnit whose `options` has no `options_type`.
        let minimal = try Data(contentsOf: Fixtures.url("fuzz-regressions/metadata-flatbuffer/union-value-without-type-minimal.bin"))
        let message: String = minimal.withUnsafeBytes { bytes in
            do {
                _ = try ModelMetadata.json(fromFlatBuffer: bytes, source: "minimal")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message.contains("subgraph_metadata[0].input_process_units[0].options: a union value without a valid type"), "\(message)")
    }
}
