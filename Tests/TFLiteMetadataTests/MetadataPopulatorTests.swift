import Foundation
import Testing
import TestSupport
@testable import TFLiteMetadata

/// `MetadataPopulator`: what it writes, what it keeps, and that it writes the same bytes again.
@Suite struct MetadataPopulatorTests {
    typealias P = PopulateFixtures

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    // MARK: Round trips

    /// tflite-support's JSON and files, populated onto the metadata-free model, read back as
    /// tflite-support wrote them.
    @Test(arguments: P.metadataCases)
    func specAndFilesOnThePlainModelGiveTheFixture(_ directory: URL) throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let json = try String(contentsOf: directory.appending(path: "metadata.json"), encoding: .utf8)
        let plain = P.plain(directory.lastPathComponent)
        let output = temporary.appending(path: "out.tflite").path
        try P.populate(plain, try MetadataSpec.parse(Data(json.utf8)), files: try P.files(of: directory), to: output)

        let written = try ModelFile(contentsOf: output)
        #expect(try written.metadataJSON() == json)
        let names = try P.files(of: directory).map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(written.associatedFiles.names == names)
        for name in names {
            #expect(try written.associatedFiles.data(of: name) == Data(contentsOf: directory.appending(path: "files/\(name)")))
        }
        try P.expectSameModel(plain, output)
    }

    /// Populating tflite-support's own output replaces its metadata in place (same buffer index)
    /// and keeps everything else.
    @Test(arguments: P.metadataCases)
    func populatingAPopulatedModelReplacesItsMetadata(_ directory: URL) throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = directory.appending(path: "model.tflite").path
        let output = temporary.appending(path: "out.tflite").path
        var metadata = try #require(try ModelFile(contentsOf: input).metadata())
        metadata.name = "Renamed"
        try P.populate(input, metadata, to: output)

        let written = try ModelFile(contentsOf: output)
        #expect(try written.metadata()?.name == "Renamed")
        #expect(written.associatedFiles.names == (try ModelFile(contentsOf: input)).associatedFiles.names, "files kept")
        let before = try Model(contentsOf: input)
        #expect(written.model.buffers.count == before.buffers.count, "the TFLITE_METADATA buffer is reused")
        #expect(written.model.metadataEntry(named: Model.metadataEntryName)?.buffer == before.metadataEntry(named: Model.metadataEntryName)?.buffer)
        try P.expectSameModel(input, output)
    }

    // MARK: Keeping every byte

    @Test(arguments: P.layoutModels + ["plain/plain_float", "plain/object_detector"])
    func theBodyIsCopiedVerbatim(_ name: String) throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = P.model(name)
        let output = temporary.appending(path: "out.tflite").path
        try P.populate(input, ModelMetadata(name: "layout test"), to: output)
        try P.expectSameModel(input, output)

        let model = try ModelFile(contentsOf: input)
        let layout = try ModelLayout(model: model.model, archiveStart: model.associatedFiles.archiveStart)
        let before = try bytes(input)
        let after = try bytes(output)
        let prefix = try #require(after.withUnsafeBytes { PopulateMarker.prefixLength(in: $0) })
        #expect(prefix % 64 == 8, "the body keeps its alignment")
        let shift = prefix - layout.bodyStart
        var expected = Array(before[layout.bodyStart..<layout.modelEnd])
        for position in layout.absoluteOffsets {
            let value = before[position..<(position + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
            withUnsafeBytes(of: (value + UInt64(shift)).littleEndian) { raw in
                for (index, byte) in raw.enumerated() { expected[position - layout.bodyStart + index] = byte }
            }
        }
        #expect(Array(after[prefix..<(prefix + layout.bodyLength)]) == expected)
        if name == "offset_buffers" || name == "large_custom_options" {
            #expect(!layout.absoluteOffsets.isEmpty, "absolute offsets found and shifted")
        }
    }

    @Test func externalBufferRootFieldsAreKept() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = P.model("external_buffers")
        let output = temporary.appending(path: "out.tflite").path
        try P.populate(input, ModelMetadata(name: "x"), to: output)
        func fields(_ path: String) throws -> [String] {
            let model = try Model(contentsOf: path)
            var result: [String] = []
            for group in try #require(try model.root.vector(8)).tables() { result.append(try group.string(0) ?? "") }
            for buffer in try #require(try model.root.vector(9)).tables() {
                result.append("\(try buffer.scalar(0, default: UInt32(0))) \(try buffer.scalar(1, default: UInt32(0))) "
                    + "\(try buffer.scalar(2, default: UInt64(0))) \(try buffer.scalar(3, default: UInt64(0)))")
            }
            return result
        }
        #expect(try fields(output) == fields(input))
        #expect(try fields(input) == ["weights.bin", "1 0 4096 64"])
    }

    @Test func anUnknownRootFieldIsRefused() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = temporary.appending(path: "out.tflite").path
        #expect(throws: PopulateError.self) { try P.populate(P.model("unknown_root_field"), ModelMetadata(name: "x"), to: output) }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aModelWithoutSubgraphsIsRefused() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = temporary.appending(path: "out.tflite").path
        do {
            try P.populate(P.model("no_subgraphs"), ModelMetadata(name: "x"), to: output)
            Issue.record("populated a model without subgraphs")
        } catch let error as PopulateError {
            #expect(error.description.contains("no subgraphs"))
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    // MARK: Same inputs, same bytes

    @Test func theOutputIsDeterministic() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let directory = Fixtures.url("metadata/image_classifier_calibrated")
        let spec = try MetadataSpec.load(contentsOf: directory.appending(path: "metadata.json").path)
        let first = temporary.appending(path: "a.tflite").path
        let second = temporary.appending(path: "b.tflite").path
        try P.populate(P.plain("image_classifier_calibrated"), spec, files: try P.files(of: directory), to: first)
        try P.populate(P.plain("image_classifier_calibrated"), spec, files: try P.files(of: directory), to: second)
        #expect(try bytes(first) == bytes(second))
    }

    /// Populating the output again with the same inputs gives the same bytes: the previous
    /// prefix is recognised and replaced, not stacked.
    @Test(arguments: ["plain/image_classifier_float", "offset_buffers", "large_custom_options"])
    func repopulatingWithTheSameInputsGivesTheSameBytes(_ name: String) throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let directory = Fixtures.url("metadata/image_classifier_float")
        let spec = try MetadataSpec.load(contentsOf: directory.appending(path: "metadata.json").path)
        var metadata = spec
        if name != "plain/image_classifier_float" { metadata = ModelMetadata(name: "again", associatedFiles: spec.subgraphMetadata?[0].outputTensorMetadata?[0].associatedFiles) }
        let once = temporary.appending(path: "once.tflite").path
        let twice = temporary.appending(path: "twice.tflite").path
        try P.populate(P.model(name), metadata, files: try P.files(of: directory), to: once)
        try P.populate(once, metadata, files: try P.files(of: directory), to: twice)
        #expect(try bytes(once) == bytes(twice))
        try P.expectSameModel(P.model(name), twice)
    }

    @Test func repopulatingReplacesMetadataAndFiles() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let classifier = Fixtures.url("metadata/image_classifier_calibrated")
        let first = temporary.appending(path: "first.tflite").path
        let second = temporary.appending(path: "second.tflite").path
        try P.populate(P.plain("image_classifier_calibrated"), try MetadataSpec.load(contentsOf: classifier.appending(path: "metadata.json").path),
                       files: try P.files(of: classifier), to: first)
        // Different metadata naming one new file only.
        let readme = temporary.appending(path: "README.txt")
        try Data("read me\n".utf8).write(to: readme)
        let metadata = ModelMetadata(name: "second", associatedFiles: [AssociatedFile(name: "README.txt", type: .descriptions)])
        try P.populate(first, metadata, files: [readme.path], to: second)

        let written = try ModelFile(contentsOf: second)
        #expect(written.associatedFiles.names == ["README.txt"])
        #expect(try written.metadata()?.name == "second")
        #expect(try written.metadata()?.subgraphMetadata == nil)
        #expect(written.model.buffers.count == (try Model(contentsOf: first)).buffers.count, "no buffer added")
        #expect(try bytes(second).count < bytes(first).count, "the old prefix and files are gone")
        try P.expectSameModel(P.plain("image_classifier_calibrated"), second)
    }

    @Test func populatingInPlaceReplacesTheInput() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let path = temporary.appending(path: "model.tflite").path
        try FileManager.default.copyItem(atPath: P.plain("plain_float"), toPath: path)
        let expected = temporary.appending(path: "expected.tflite").path
        try P.populate(P.plain("plain_float"), ModelMetadata(name: "in place"), to: expected)
        try P.populate(path, ModelMetadata(name: "in place"), to: path)
        #expect(try bytes(path) == bytes(expected))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).sorted() == ["expected.tflite", "model.tflite"],
                "no temporary file left behind")
    }

    // MARK: Files

    @Test(arguments: [1, 4, 16, 64])
    func packedFilesAreStoredAligned(_ alignment: Int) throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let directory = Fixtures.url("metadata/bert_nl_classifier_sentencepiece")
        let output = temporary.appending(path: "out.tflite").path
        try P.populate(P.plain("bert_nl_classifier_sentencepiece"), try MetadataSpec.load(contentsOf: directory.appending(path: "metadata.json").path),
                       files: try P.files(of: directory), to: output, options: PopulateOptions(alignment: alignment))
        let written = try ModelFile(contentsOf: output)
        #expect(written.associatedFiles.entries.count == 3)
        for entry in written.associatedFiles.entries {
            #expect(entry.range.lowerBound % alignment == 0, "\(entry.name) at \(entry.range.lowerBound)")
            #expect(try written.associatedFiles.data(of: entry.name) == Data(contentsOf: directory.appending(path: "files/\(entry.name)")))
        }
        let metadata = try #require(try written.model.metadataBuffer())
        let start = try #require(metadata.baseAddress) - (try #require(written.model.storage.bytes.baseAddress))
        #expect(start % 16 == 0, "the metadata buffer is 16-byte aligned")
    }

    @Test func filesTheNewMetadataStillNamesAreKept() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = Fixtures.url("metadata/nl_classifier/model.tflite").path
        let output = temporary.appending(path: "out.tflite").path
        var metadata = try #require(try ModelFile(contentsOf: input).metadata())
        // Drop the labels from the metadata: vocab.txt stays packed, labels.txt goes.
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].associatedFiles = nil
        try P.populate(input, metadata, to: output)
        #expect(try ModelFile(contentsOf: output).associatedFiles.names == ["vocab.txt"])
    }

    @Test func duplicateBasenamesAreAnError() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let other = temporary.appending(path: "other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("a\nb\nc\nd\ne\n".utf8).write(to: other.appending(path: "labels.txt"))
        let directory = Fixtures.url("metadata/image_classifier_float")
        let output = temporary.appending(path: "out.tflite").path
        do {
            try P.populate(P.plain("image_classifier_float"), try MetadataSpec.load(contentsOf: directory.appending(path: "metadata.json").path),
                           files: try P.files(of: directory) + [other.appending(path: "labels.txt").path], to: output,
                           options: PopulateOptions(force: true))
            Issue.record("duplicate basenames accepted")
        } catch let error as PopulateError {
            #expect(error.diagnostics.contains { $0.rule == "duplicate-file" && $0.severity == .error && !$0.forceable })
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    // MARK: Versions and validation

    @Test func minParserVersionIsComputedNotTaken() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = temporary.appending(path: "out.tflite").path
        let directory = Fixtures.url("metadata/object_detector")
        var spec = try MetadataSpec.load(contentsOf: directory.appending(path: "metadata.json").path)
        spec.minParserVersion = "9.9.9"
        let result = try P.populate(P.plain("object_detector"), spec, files: try P.files(of: directory), to: output)
        #expect(result.metadata.minParserVersion == "1.2.0")
        #expect(try ModelFile(contentsOf: output).metadata()?.minParserVersion == "1.2.0")
        #expect(result.diagnostics.contains { $0.rule == "min-parser-version" && $0.severity == .note })
    }

    @Test func validationErrorsWriteNothingAndForceWrites() throws {
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = temporary.appending(path: "out.tflite").path
        let labels = temporary.appending(path: "labels.txt")
        try Data("one\ntwo\nthree\nfour\nfive\n".utf8).write(to: labels)
        let notes = temporary.appending(path: "notes.txt")
        try Data("packed but never named\n".utf8).write(to: notes)
        var metadata = MetadataEdits.skeleton(for: try Model(contentsOf: P.plain("plain_float")))
        metadata.subgraphMetadata?[0].outputTensorMetadata?[0].associatedFiles = [AssociatedFile(name: "labels.txt", type: .tensorAxisLabels)]
        #expect(throws: PopulateError.self) { try P.populate(P.plain("plain_float"), metadata, files: [labels.path, notes.path], to: output) }
        #expect(!FileManager.default.fileExists(atPath: output))
        let result = try P.populate(P.plain("plain_float"), metadata, files: [labels.path, notes.path], to: output, options: PopulateOptions(force: true))
        #expect(result.diagnostics.contains { $0.rule == "file-unused" && $0.severity == .warning })
        #expect(FileManager.default.fileExists(atPath: output))
    }
}
