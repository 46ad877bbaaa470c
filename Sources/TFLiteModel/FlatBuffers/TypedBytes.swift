#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Calls `body` with the bytes of `bytes`, keeping `body`'s typed error (the standard library's
/// `withUnsafeBytes` erases it).
package func withBytes<Bytes: ContiguousBytes, R, E: Error>(
    of bytes: Bytes, _ body: (UnsafeRawBufferPointer) throws(E) -> R
) throws(E) -> R {
    let result: Result<R, E> = bytes.withUnsafeBytes { raw in
        Result { () throws(E) -> R in try body(raw) }
    }
    return try result.get()
}
