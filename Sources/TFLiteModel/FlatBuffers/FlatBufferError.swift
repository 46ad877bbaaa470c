/// A read that would leave the buffer, found while walking a FlatBuffer.
///
/// Buffers are verified before they are read, so this should not happen; every read is still
/// bounds-checked and reports this error instead of reading out of bounds.
package struct FlatBufferError: Error, Equatable, CustomStringConvertible {
    /// What was being read.
    package let what: String
    /// The offending position in the buffer.
    package let offset: Int

    package init(what: String, offset: Int) {
        self.what = what
        self.offset = offset
    }

    package var description: String { "\(what) at byte \(offset) is outside the buffer" }
}
