import Foundation
import Testing
import TestSupport
import TFLiteModel

/// Bad and hostile files are refused with a one-line error naming the file, never a crash.
@Suite struct HostileModelTests {
    static let fixture: Data = (try? Data(contentsOf: Fixtures.url("metadata/image_classifier_float/model.tflite"))) ?? Data()

    func read(_ data: Data) -> ModelError? {
        do {
            _ = try Model(data: data, source: "bad.tflite")
            return nil
        } catch {
            return error
        }
    }

    @Test func notAFlatBuffer() throws {
        let error = try #require(read(Data("hello, this is not a model at all".utf8)))
        #expect(error.file == "bad.tflite")
        #expect(!error.description.contains("\n"))
    }

    @Test func wrongIdentifier() throws {
        var data = Self.fixture
        data.replaceSubrange(4..<8, with: Data("M001".utf8))
        let error = try #require(read(data))
        #expect(error.description.contains("identifier"))
    }

    @Test func tinyFiles() {
        for count in 0..<12 {
            #expect(read(Data(Self.fixture.prefix(count))) != nil)
        }
    }

    @Test func truncatedAtManyPoints() {
        // The metadata buffer and zip sit at the end, so cut throughout the FlatBuffer.
        let step = max(1, Self.fixture.count / 300)
        for length in stride(from: 8, to: Self.fixture.count - 600, by: step) {
            #expect(read(Data(Self.fixture.prefix(length))) != nil, "truncated to \(length) bytes was accepted")
        }
    }

    @Test func rootOffsetOutsideTheFile() throws {
        var data = Self.fixture
        data.replaceSubrange(0..<4, with: withUnsafeBytes(of: UInt32(0x7fff_fff0).littleEndian) { Data($0) })
        #expect(read(data) != nil)
    }

    @Test func offsetsOverwrittenEverywhere() {
        // Overwrite 4-byte words with values pointing outside the file, one at a time: each read
        // must either be refused or succeed; a crash fails the whole test run.
        let step = 4 * max(1, Self.fixture.count / 4 / 400)
        for position in stride(from: 0, to: Self.fixture.count - 4, by: step) {
            var data = Self.fixture
            data.replaceSubrange(position..<(position + 4), with: withUnsafeBytes(of: UInt32(0xFFFF_FF00).littleEndian) { Data($0) })
            _ = read(data)
        }
    }

    @Test func vtableLoop() throws {
        // Point the root table's vtable at the table itself: the verifier must refuse it.
        var data = Self.fixture
        let root = Int(data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self) })
        data.replaceSubrange(root..<(root + 4), with: withUnsafeBytes(of: Int32(0).littleEndian) { Data($0) })
        #expect(read(data) != nil)
    }

    @Test func metadataBufferIndexOutOfRange() throws {
        // Find the TFLITE_METADATA entry's buffer index and set it past the buffers.
        let model = try Model(data: Self.fixture)
        let entryIndex = try #require(model.metadata.firstIndex { $0.name == Model.metadataEntryName })
        let entries = try #require(try model.root.vector(6))
        let table = try entries.table(at: entryIndex)
        let position = try #require(try table.fieldPosition(1))
        var data = Self.fixture
        data.replaceSubrange(position..<(position + 4), with: withUnsafeBytes(of: UInt32(60_000).littleEndian) { Data($0) })
        let error = try #require(read(data))
        #expect(error.field == "metadata[\(entryIndex)].buffer")
        #expect(error.reason.contains("out of range"))
    }
}
