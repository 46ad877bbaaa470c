import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// The models `scripts/populate_make_fixtures.py` writes for the populate tests, and checks
/// shared by them.
enum PopulateFixtures {
    static let directory = Fixtures.root.appending(path: "scripts/populate_fixtures")

    /// `scripts/populate_fixtures/<name>.tflite`.
    static func model(_ name: String) -> String {
        directory.appending(path: "\(name).tflite").path
    }

    /// The metadata-free copy of fixture `name` (`Tests/Fixtures/metadata/<name>`).
    static func plain(_ name: String) -> String {
        directory.appending(path: "plain/\(name).tflite").path
    }

    /// The fixtures that carry metadata (tflite-support's output).
    static let metadataCases: [URL] = Fixtures.metadataCases().filter {
        FileManager.default.fileExists(atPath: $0.appending(path: "metadata.json").path)
    }

    /// Models with layouts populate must keep: offsets after the FlatBuffer, large custom
    /// options, several signatures, LiteRT's extra root fields.
    static let layoutModels = ["offset_buffers", "large_custom_options", "two_signatures", "external_buffers"]

    /// The fixture's packed files (in `files.txt` order) as `--file` paths.
    static func files(of directory: URL) throws -> [String] {
        try String(contentsOf: directory.appending(path: "files.txt"), encoding: .utf8)
            .split(separator: "\n").map { directory.appending(path: "files/\($0)").path }
    }

    static func temporaryDirectory() throws -> URL { try Fixtures.temporaryDirectory() }

    /// Populates `input` with `metadata` and `files` into `output`.
    @discardableResult
    static func populate(_ input: String, _ metadata: ModelMetadata, files: [String] = [], to output: String,
                         options: PopulateOptions = PopulateOptions()) throws -> PopulateResult {
        let file = try ModelFile(contentsOf: input)
        let recipe = MetadataRecipe(spec: metadata, files: files)
        let (resolved, packed, _) = try recipe.resolve(for: file)
        return try MetadataPopulator.populate(file, metadata: resolved, files: packed, to: output, options: options)
    }

    /// Checks that `output` is `input` with other metadata: same graph, signatures, other
    /// metadata entries, and every buffer's bytes.
    static func expectSameModel(_ input: String, _ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try Model(contentsOf: input)
        let after = try Model(contentsOf: output)
        #expect(after.version == before.version, sourceLocation: sourceLocation)
        #expect(after.description == before.description, sourceLocation: sourceLocation)
        #expect(after.operatorCodes == before.operatorCodes, sourceLocation: sourceLocation)
        #expect(after.signatureDefs == before.signatureDefs, sourceLocation: sourceLocation)
        #expect(after.subgraphs.count == before.subgraphs.count, sourceLocation: sourceLocation)
        for (a, b) in zip(before.subgraphs, after.subgraphs) {
            #expect(a.name == b.name, sourceLocation: sourceLocation)
            #expect(a.tensors == b.tensors, sourceLocation: sourceLocation)
            #expect(a.inputs == b.inputs && a.outputs == b.outputs, sourceLocation: sourceLocation)
            #expect(a.operators.count == b.operators.count, sourceLocation: sourceLocation)
            for (x, y) in zip(a.operators, b.operators) {
                #expect(x.opcodeIndex == y.opcodeIndex && x.inputs == y.inputs && x.outputs == y.outputs
                        && x.intermediates == y.intermediates && x.builtinOptionsType == y.builtinOptionsType
                        && x.builtinOptions2Type == y.builtinOptions2Type, sourceLocation: sourceLocation)
                #expect(x.customOptions.map { Array($0) } == y.customOptions.map { Array($0) }, sourceLocation: sourceLocation)
            }
        }
        let metadataBuffers = Set(before.metadata.filter { $0.name == Model.metadataEntryName }.map { Int($0.buffer) })
        for index in before.buffers.indices where !metadataBuffers.contains(index) {
            #expect(index < after.buffers.count, sourceLocation: sourceLocation)
            guard index < after.buffers.count else { continue }
            #expect(Array(try before.data(ofBuffer: index)) == Array(try after.data(ofBuffer: index)),
                    "buffers[\(index)]", sourceLocation: sourceLocation)
        }
        let otherEntries = { (model: Model) in model.metadata.filter { $0.name != Model.metadataEntryName } }
        #expect(otherEntries(after).map(\.name) == otherEntries(before).map(\.name), sourceLocation: sourceLocation)
        for (a, b) in zip(otherEntries(before), otherEntries(after)) {
            #expect(Array(try before.data(ofBuffer: Int(a.buffer))) == Array(try after.data(ofBuffer: Int(b.buffer))),
                    "metadata entry \(a.name)", sourceLocation: sourceLocation)
        }
    }
}
