#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A file about to be packed with the model by populate, stored under `name` (a basename); once
/// packed it is one of the model's `AssociatedFiles`.
public struct PackedFile: Hashable, Sendable {
    /// Where a packed file's bytes come from.
    public enum Source: Hashable, Sendable {
        /// A file on disk.
        case path(String)
        /// Bytes already packed in the input model (a range of its file) with their CRC-32.
        case packed(Range<Int>, crc32: UInt32)
        /// Bytes in memory.
        case bytes([UInt8])
    }

    /// The name it is stored under in the archive (a basename).
    public var name: String
    /// Where its bytes come from.
    public var source: Source
    /// The argument a file on disk was given with (`--file`, `--labels`), for errors.
    public var role: String?

    /// Creates a file to pack from its stored name and the source of its bytes.
    ///
    /// - Parameters:
    ///   - name: The basename it is stored under.
    ///   - source: Where its bytes come from.
    ///   - role: The argument a file on disk came from, for errors.
    public init(name: String, source: Source, role: String? = nil) {
        self.name = name
        self.source = source
        self.role = role
    }

    /// A file on disk, stored by its basename.
    public init(path: String, role: String? = nil) {
        self.init(name: URL(fileURLWithPath: path).lastPathComponent, source: .path(path), role: role)
    }

    /// The same file under the same name, whatever argument gave it (the role only labels errors).
    public static func == (lhs: PackedFile, rhs: PackedFile) -> Bool {
        lhs.name == rhs.name && lhs.source == rhs.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(source)
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
