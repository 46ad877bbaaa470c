#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Zeroed, 64-byte aligned memory for the arena and persistent tensors, allocated so that a
/// model asking for more than the system can give gets an error instead of a trap.
enum TensorMemory {
    static let alignment = 64

    /// `byteCount` zeroed bytes (at least one) aligned to `alignment` (a power of two, at least
    /// the pointer size), or `allocationFailed`.
    static func allocate(byteCount: Int, alignment: Int = alignment) throws(InterpreterError) -> UnsafeMutableRawPointer {
        let size = max(byteCount, 1)
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, max(alignment, Self.alignment), size) == 0, let pointer else {
            throw .allocationFailed(bytes: size)
        }
        memset(pointer, 0, size)
        return pointer
    }

    /// Frees memory from ``allocate(byteCount:)``.
    static func free(_ pointer: UnsafeMutableRawPointer?) {
        #if canImport(Glibc)
        Glibc.free(pointer)
        #else
        Darwin.free(pointer)
        #endif
    }
}
