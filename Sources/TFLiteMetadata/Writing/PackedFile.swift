import Foundation
import TFLiteModel

/// A file to pack with the model, stored under `name` (a basename).
public struct PackedFile: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// A file on disk.
        case path(String)
        /// Bytes already packed in the input model (a range of its file) with their CRC-32.
        case packed(Range<Int>, crc32: UInt32)
        /// Bytes in memory.
        case bytes([UInt8])
    }

    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// A file on disk, stored by its basename.
    public init(path: String) {
        self.init(name: URL(fileURLWithPath: path).lastPathComponent, source: .path(path))
    }

    /// Where the file comes from, for messages.
    public var origin: String {
        switch source {
        case .path(let path): path
        case .packed: "packed file \(name)"
        case .bytes: name
        }
    }
}
