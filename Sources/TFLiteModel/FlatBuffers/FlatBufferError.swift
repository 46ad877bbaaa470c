/// A read that would leave the buffer, found while walking a FlatBuffer.
///
/// Buffers are verified before they are read, so this should not happen; every read is still
/// bounds-checked and reports this error instead of reading out of bounds.
public struct FlatBufferError: Error, Equatable, CustomStringConvertible {
    /// What was being read.
    public let what: String
    /// The offending position in the buffer.
    public let offset: Int

    public init(what: String, offset: Int) {
        self.what = what
        self.offset = offset
    }

    public var description: String { "\(what) at byte \(offset) is outside the buffer" }
}
