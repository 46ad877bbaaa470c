import Foundation
import Testing
import TestSupport
import TFLiteMetadata
@testable import TFLiteModel

/// The runtime's FlatBuffers verifier (`FlatBufferVerifier`, generated from `schemas/`) against
/// libflatbuffers' own verifier (`FlatBufferSchema.verify`): the same verdict on every fixture
/// and on mutants of them. FuzzTesting's `FuzzVerifier` does the same on fuzzer-made bytes.
@Suite struct FlatBufferVerifierTests {
    /// Every committed model.
    static let models: [URL] = {
        let root = Fixtures.url("")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "tflite" } ?? []
        return files.sorted { $0.path < $1.path }
    }()

    /// The verdicts of both verifiers on `bytes`: nil when valid.
    static func verdicts(_ bytes: Data, schema: FlatBufferSchema, ours: FlatBufferVerifier) -> (ours: String?, library: String?) {
        bytes.withUnsafeBytes { raw in
            (ours.problem(in: raw)?.description,
             schema.verify(raw, maxDepth: ours.maxDepth, maxTables: ours.maxTables))
        }
    }

    /// The metadata buffer of the model in `data`, if it has one.
    static func metadataBuffer(_ data: Data) throws -> Data? {
        let model = try Model(data: data)
        return try model.metadataBuffer().map { Data($0) }
    }

    @Test func everyFixtureModelVerifies() throws {
        #expect(Self.models.count > 1000)
        var metadataCount = 0
        for url in Self.models where !url.path.contains("fuzz-regressions") {
            let data = try Data(contentsOf: url)
            let (ours, library) = Self.verdicts(data, schema: .model, ours: .model)
            #expect(ours == nil && library == nil, "\(url.path): ours \(ours ?? "valid"), libflatbuffers \(library ?? "valid")")
            if let metadata = try Self.metadataBuffer(data) {
                metadataCount += 1
                let (ours, library) = Self.verdicts(metadata, schema: .metadata, ours: .metadata)
                #expect(ours == nil && library == nil, "\(url.path) metadata: ours \(ours ?? "valid"), libflatbuffers \(library ?? "valid")")
            }
        }
        #expect(metadataCount > 10)
    }

    /// Small models and metadata buffers, 600 mutants each: both verifiers agree on each.
    @Test func mutantsGetTheSameVerdict() throws {
        let small = Self.models.filter { !$0.path.contains("fuzz-regressions") }
            .filter { ((try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? .max) < 4096 }
        let picks = stride(from: 0, to: small.count, by: max(1, small.count / 12)).map { small[$0] }
        var inputs: [(String, Data, FlatBufferSchema, FlatBufferVerifier)] = try picks.map {
            ($0.lastPathComponent, try Data(contentsOf: $0), .model, .model)
        }
        for url in Fixtures.metadataCases().prefix(6) {
            let model = url.pathExtension == "tflite" ? url : url.appending(path: "model.tflite")
            guard let data = try? Data(contentsOf: model), let metadata = try Self.metadataBuffer(data) else { continue }
            inputs.append((model.path + " metadata", metadata, .metadata, .metadata))
        }
        #expect(inputs.count >= 12)
        var rejected = 0
        var total = 0
        for (index, (name, data, schema, ours)) in inputs.enumerated() {
            for mutant in Mutator.mutants(of: data, source: name, count: 600, seed: 0xF1A7 + UInt64(index)) {
                let verdicts = Self.verdicts(mutant.data, schema: schema, ours: ours)
                #expect((verdicts.ours == nil) == (verdicts.library == nil),
                        "\(mutant): ours \(verdicts.ours ?? "valid"), libflatbuffers \(verdicts.library ?? "valid")")
                if verdicts.ours != nil { rejected += 1 }
                total += 1
            }
        }
        // The mutants exercise both verdicts.
        #expect(rejected > total / 10 && rejected < total)
    }

    /// The depth and table-count limits bind at the same point in both.
    @Test(arguments: [(1, 1_000_000), (2, 1_000_000), (3, 1_000_000), (64, 1), (64, 5), (64, 20)])
    func limitsBindAlike(maxDepth: Int, maxTables: Int) throws {
        let data = try Data(contentsOf: Fixtures.url("conformance/add_bcast4d_float32/model.tflite"))
        var ours = FlatBufferVerifier.model
        ours.maxDepth = maxDepth
        ours.maxTables = maxTables
        let verdicts = Self.verdicts(data, schema: .model, ours: ours)
        #expect((verdicts.ours == nil) == (verdicts.library == nil), "ours \(verdicts.ours ?? "valid"), libflatbuffers \(verdicts.library ?? "valid")")
    }

    /// The fuzz regression inputs of `FuzzVerifier` (Tests/Fixtures/fuzz-regressions/verifier/).
    @Test func fuzzRegressionsGetTheSameVerdict() throws {
        let folder = Fixtures.url("fuzz-regressions/verifier")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() {
            let data = try Data(contentsOf: folder.appending(path: name))
            for (schema, ours) in [(FlatBufferSchema.model, FlatBufferVerifier.model), (.metadata, .metadata)] {
                var patched = data
                if data.count >= 8 { patched.replaceSubrange(4..<8, with: Array(ours.layout.fileIdentifier.utf8)) }
                let verdicts = Self.verdicts(patched, schema: schema, ours: ours)
                #expect((verdicts.ours == nil) == (verdicts.library == nil), "\(name) as \(ours.layout.fileIdentifier): ours \(verdicts.ours ?? "valid"), libflatbuffers \(verdicts.library ?? "valid")")
            }
        }
    }
}
