import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// The runtime reads associated files with the same zip reader as `tflmeta` (issue #21): it lists
/// what the metadata library lists, and refuses what it refuses.
@Suite struct AssociatedFileReaderTests {
    static func bytes(_ fixture: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixtures.url("metadata/\(fixture)/model.tflite")))
    }

    static func indices(of signature: [UInt8], in bytes: [UInt8]) -> [Int] {
        (0...(bytes.count - signature.count)).filter { Array(bytes[$0..<($0 + signature.count)]) == signature }
    }

    static func reader(_ bytes: [UInt8]) throws(ModelWrapperError) -> AssociatedFileReader {
        try AssociatedFileReader(storage: ByteStorage(copying: Data(bytes), source: "hostile.tflite"))
    }

    @Test(arguments: Fixtures.metadataCases())
    func listsWhatWasPacked(_ directory: URL) throws {
        let data = try Data(contentsOf: directory.appending(path: "model.tflite"))
        let listed = try String(contentsOf: directory.appending(path: "files.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let reader = try AssociatedFileReader(storage: ByteStorage(copying: data, source: "model.tflite"))
        #expect(reader.names == listed.sorted())
        for name in listed {
            #expect(reader.data(of: name) == (try Data(contentsOf: directory.appending(path: "files/\(name)"))))
        }
    }

    @Test func duplicateNamesAreRefused() throws {
        // custom_metadata packs labels.txt and README.txt: name the second like the first.
        var bytes = try Self.bytes("custom_metadata")
        let central = Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes)
        try #require(central.count == 2)
        bytes.replaceSubrange((central[1] + 46)..<(central[1] + 56), with: Array("labels.txt".utf8))
        #expect(throws: ModelWrapperError.self) { try Self.reader(bytes) }
    }

    @Test func lastEntryRunningPastTheDirectoryIsRefused() throws {
        var bytes = try Self.bytes("nl_classifier")
        let last = try #require(Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes).last)
        bytes[last + 32] = 0xFF  // comment length 0x??FF: past the end record
        bytes[last + 33] = 0x7F
        #expect(throws: ModelWrapperError.self) { try Self.reader(bytes) }
    }

    @Test func compressedEntriesAreRefused() throws {
        var bytes = try Self.bytes("nl_classifier")
        let central = try #require(Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes).first)
        bytes[central + 10] = 8
        do {
            _ = try Self.reader(bytes)
            Issue.record("a deflated entry was accepted")
        } catch {
            #expect(error.description.contains("compressed"))
        }
    }
}

/// Text reads at run time are bounded like `validate`'s and `tflcodegen`'s (issue #20): a packed
/// file over `TextFileLimit.bytes` is an error, never read whole.
@Suite struct AssociatedFileTextLimitTests {
    @Test func anOversizedPackedTextFileIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appending(path: "spec.json")
        try Data(#"{"name": "big file", "associated_files": [{"name": "big.txt"}, {"name": "small.txt"}]}"#.utf8).write(to: spec)
        let big = directory.appending(path: "big.txt")
        try Data(repeating: UInt8(ascii: "x"), count: TextFileLimit.bytes + 1).write(to: big)
        let small = directory.appending(path: "small.txt")
        try Data("a\nb\n".utf8).write(to: small)
        let model = directory.appending(path: "model.tflite").path
        let populate = try CommandRunner.run("tflmeta", ["populate", Fixtures.url("metadata/plain_float/model.tflite").path,
                                                         "--metadata", spec.path, "--file", big.path, "--file", small.path, "-o", model])
        #expect(populate.status == 0, "\(populate.stderr)")
        let reader = try AssociatedFileReader(storage: ByteStorage(mapping: model))
        #expect(try reader.text(of: "small.txt") == "a\nb\n")
        #expect(throws: ModelWrapperError.self) { try reader.text(of: "big.txt") }
        do {
            _ = try reader.text(of: "big.txt")
        } catch {
            #expect(error.description.contains("over the 16 MB limit"), "\(error)")
        }
    }
}
