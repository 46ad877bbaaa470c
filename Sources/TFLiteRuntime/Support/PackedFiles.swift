import Foundation
import TFLiteModel

/// The files packed after a model (a zip of stored entries), read in place. A small reader for the
/// runtime, so generated wrappers can load labels and vocabularies without the metadata library.
public struct PackedFiles: Sendable {
    private let storage: ByteStorage
    private let entries: [String: Range<Int>]

    /// File names in the archive, sorted.
    public var names: [String] { entries.keys.sorted() }

    public init(storage: ByteStorage) throws(ModelWrapperError) {
        self.storage = storage
        let bytes = storage.bytes
        func fail(_ reason: String) -> ModelWrapperError { .invalidPackedFile(name: storage.source, reason: reason) }
        func u16(_ at: Int) throws(ModelWrapperError) -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw fail("damaged zip directory") }
            return Int(UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)
        }
        func u32(_ at: Int) throws(ModelWrapperError) -> Int {
            guard at >= 0, at + 4 <= bytes.count else { throw fail("damaged zip directory") }
            return Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        var eocd: Int?
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65535)
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4b, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06,
               position + 22 + (try u16(position + 20)) == bytes.count {
                eocd = position
                break
            }
            position -= 1
        }
        guard let eocd else {
            entries = [:]
            return
        }
        let count = try u16(eocd + 10)
        let directorySize = try u32(eocd + 12)
        let directoryOffset = try u32(eocd + 16)
        let directoryStart = eocd - directorySize
        guard directoryStart >= 0, directoryStart >= directoryOffset else { throw fail("damaged zip directory") }
        let shift = directoryStart - directoryOffset
        var entries: [String: Range<Int>] = [:]
        var cursor = directoryStart
        for _ in 0..<count {
            guard try u32(cursor) == 0x0201_4b50 else { throw fail("damaged zip directory") }
            let method = try u16(cursor + 10)
            let compressedSize = try u32(cursor + 20)
            let nameLength = try u16(cursor + 28)
            let extraLength = try u16(cursor + 30)
            let commentLength = try u16(cursor + 32)
            let localOffset = try u32(cursor + 42) + shift
            guard cursor + 46 + nameLength <= eocd else { throw fail("damaged zip directory") }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(cursor + 46)..<(cursor + 46 + nameLength)]), as: UTF8.self)
            cursor += 46 + nameLength + extraLength + commentLength
            guard method == 0 else { throw .invalidPackedFile(name: name, reason: "entry is compressed; TFLite requires stored entries") }
            guard try u32(localOffset) == 0x0403_4b50 else { throw .invalidPackedFile(name: name, reason: "bad local header") }
            let dataStart = localOffset + 30 + (try u16(localOffset + 26)) + (try u16(localOffset + 28))
            guard dataStart + compressedSize <= directoryStart else { throw .invalidPackedFile(name: name, reason: "data past the directory") }
            entries[name] = dataStart..<(dataStart + compressedSize)
        }
        self.entries = entries
    }

    /// The bytes of `name`, or nil when it is not packed.
    public func data(of name: String) -> Data? {
        guard let range = entries[name], let slice = storage.slice(range) else { return nil }
        return Data(slice)
    }

    /// The text of `name` (UTF-8).
    public func text(of name: String) throws(ModelWrapperError) -> String {
        guard let data = data(of: name) else { throw .missingPackedFile(name: name, model: storage.source) }
        return String(decoding: data, as: UTF8.self)
    }

    /// The lines of a label file: one label a line, trailing empty lines dropped.
    public func labels(in name: String) throws(ModelWrapperError) -> [String] {
        LabelFile.parse(try text(of: name))
    }
}

/// Label and vocabulary file parsing: `TFLiteModel.LabelLines`, the rule `tflcodegen` and
/// `tflmeta validate` count labels with.
public enum LabelFile {
    /// One label a line (`\n` or `\r\n`); trailing empty or whitespace-only lines are not labels.
    public static func parse(_ text: String) -> [String] {
        LabelLines.parse(text)
    }
}
