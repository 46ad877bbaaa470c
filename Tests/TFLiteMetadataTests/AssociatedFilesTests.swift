import Foundation
import Testing
import TestSupport
import TFLiteMetadata

@Suite struct AssociatedFilesTests {
    static let cases = Fixtures.metadataCases()

    @Test(arguments: cases)
    func filesEqualWhatTFLiteSupportPacked(_ directory: URL) throws {
        let file = try ModelFile(contentsOf: directory.appending(path: "model.tflite").path)
        let listed = try String(contentsOf: directory.appending(path: "files.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(file.associatedFiles.names == listed)
        for name in listed {
            let expected = try Data(contentsOf: directory.appending(path: "files/\(name)"))
            #expect(try file.associatedFiles.data(of: name) == expected)
            let inPlace = try #require(file.associatedFiles.contents(of: name))
            #expect(Data(inPlace) == expected)
            // Zero-copy: the bytes are a view into the mapped model.
            let model = file.model.storage.bytes
            if let base = inPlace.baseAddress, let start = model.baseAddress {
                #expect(base >= start && base + inPlace.count <= start + model.count)
            }
        }
    }

    func open(_ data: Data) -> ModelError? {
        do {
            _ = try ModelFile(model: Model(data: data, source: "bad.tflite"))
            return nil
        } catch {
            return error
        }
    }

    static let withFiles: Data = (try? Data(contentsOf: Fixtures.url("metadata/nl_classifier/model.tflite"))) ?? Data()

    /// Position of the last occurrence of `signature`.
    func lastIndex(of signature: [UInt8], in data: Data) -> Int? {
        let bytes = [UInt8](data)
        guard bytes.count >= signature.count else { return nil }
        for position in stride(from: bytes.count - signature.count, through: 0, by: -1)
        where Array(bytes[position..<(position + signature.count)]) == signature {
            return position
        }
        return nil
    }

    @Test func damagedCentralDirectory() throws {
        var data = Self.withFiles
        let central = try #require(lastIndex(of: [0x50, 0x4b, 0x01, 0x02], in: data))
        data[central + 3] = 0x09
        let error = try #require(open(data))
        #expect(error.description.contains("zip"))
    }

    @Test func directoryOffsetOutsideTheFile() throws {
        var data = Self.withFiles
        let end = try #require(lastIndex(of: [0x50, 0x4b, 0x05, 0x06], in: data))
        data.replaceSubrange((end + 16)..<(end + 20), with: [0xff, 0xff, 0xff, 0x7f])
        #expect(open(data) != nil)
    }

    @Test func compressedEntryIsRefused() throws {
        var data = Self.withFiles
        // Mark the first entry deflated in both headers (method 8).
        let central = try #require(data.firstRange(of: Data([0x50, 0x4b, 0x01, 0x02]))?.lowerBound)
        let local = try #require(data.firstRange(of: Data([0x50, 0x4b, 0x03, 0x04]))?.lowerBound)
        data[central + 10] = 8
        data[local + 8] = 8
        let error = try #require(open(data))
        #expect(error.description.contains("compressed"))
    }

    @Test func unsafeNamesAreRecognised() {
        #expect(AssociatedFiles.isSafeName("labels.txt"))
        #expect(!AssociatedFiles.isSafeName("../labels.txt"))
        #expect(!AssociatedFiles.isSafeName("a/b"))
        #expect(!AssociatedFiles.isSafeName(".."))
        #expect(!AssociatedFiles.isSafeName(""))
    }
}
