#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Immutable bytes of a model: a read-only memory map of a file, or an owned copy of `Data`.
///
/// Everything read from a model points into this storage, so tensor data is never copied. The
/// storage is immutable for its whole life, which makes it safe to share between threads.
package final class ByteStorage: @unchecked Sendable {
    /// The bytes. Valid as long as this object lives.
    package let bytes: UnsafeRawBufferPointer
    /// Where the bytes came from: a file path, or `<memory>`.
    package let source: String
    private let isMapped: Bool
    /// Bytes of the underlying region, `bytes` plus the zero tail (what to unmap or free).
    private let regionSize: Int

    /// Readable zero bytes guaranteed after `bytes.count`: libflatbuffers' reflection verifier
    /// can read a union's type field (at most one vtable offset, < 64 KiB, past a table) before
    /// it checks that field's bounds, so every buffer it sees is followed by this much memory.
    package static let readableTail = 65_536 + 64

    /// Maps `path` read-only. Anything but a regular file (a FIFO, a directory, a device) and an
    /// empty file are errors; opening never blocks.
    package init(mapping path: String) throws(ModelError) {
        let file = try RegularFile.open(path)
        let fd = file.fd
        defer { close(fd) }
        let size = file.size
        guard size > 0 else {
            throw ModelError(file: path, field: nil, reason: "the file is empty")
        }
        // Reserve the file's pages plus a zero tail, then map the file over the start of it.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let (padded, overflow) = size.addingReportingOverflow(Self.readableTail + page)
        guard !overflow else { throw ModelError(file: path, field: nil, reason: "the file is too large to map") }
        let region = padded / page * page
        guard let reserved = mmap(nil, region, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), reserved != MAP_FAILED else {
            throw ModelError(file: path, field: nil, reason: "cannot map: \(String(cString: strerror(errno)))")
        }
        guard let base = mmap(reserved, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0), base != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            munmap(reserved, region)
            throw ModelError(file: path, field: nil, reason: "cannot map: \(reason)")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        source = path
        isMapped = true
        regionSize = region
    }

    /// Lets the system drop the file-mapped pages that lie wholly inside `byteCount` bytes at
    /// `pointer` (weights a kernel has copied into its own layout): they stop counting towards
    /// the process's resident memory and are read back from the file if touched again. Does
    /// nothing for in-memory storage or a range outside the storage.
    package func releasePages(_ pointer: UnsafeRawPointer, byteCount: Int) {
        guard isMapped, byteCount > 0, let base = bytes.baseAddress else { return }
        let start = Int(bitPattern: pointer), storageStart = Int(bitPattern: base)
        guard start >= storageStart, byteCount <= bytes.count, start - storageStart <= bytes.count - byteCount else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start + page - 1) / page * page, end = (start + byteCount) / page * page
        guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(address, end - first, Int32(MADV_DONTNEED))
    }

    /// Copies `data` into storage aligned for any scalar type.
    package init(copying data: Data, source: String = "<memory>") {
        let region = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count + Self.readableTail, alignment: 64)
        region.initializeMemory(as: UInt8.self, repeating: 0)
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 {
                region.baseAddress?.copyMemory(from: base, byteCount: raw.count)
            }
        }
        bytes = UnsafeRawBufferPointer(start: region.baseAddress, count: data.count)
        self.source = source
        isMapped = false
        regionSize = region.count
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), regionSize)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The number of bytes.
    package var count: Int { bytes.count }

    /// The bytes in `range`, or nil when the range is not inside the storage.
    package func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer? {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }
}
