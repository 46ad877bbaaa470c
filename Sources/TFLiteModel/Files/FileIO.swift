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

/// Positioned file I/O for `populate` and the model rewriter: writes at explicit offsets and copies ranges between files
/// in the kernel (`copy_file_range`) so large models never pass through this process's memory.
package enum FileIO {
    /// Bytes moved per system call when the kernel cannot copy for us.
    package static let chunkSize = 1 << 20

    /// Writes all of `bytes` at `offset` in `fd`.
    package static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32, at offset: Int, path: String) throws(ModelError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let written = pwrite(fd, base + done, bytes.count - done, off_t(offset + done))
            if written < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: path, field: nil, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            done += written
        }
    }

    /// Writes `bytes` at `offset` in `fd`.
    package static func write(_ bytes: [UInt8], to fd: Int32, at offset: Int, path: String) throws(ModelError) {
        try withBytes(of: bytes) { (raw) throws(ModelError) in try write(raw, to: fd, at: offset, path: path) }
    }

    /// Copies `range` of `source` to `offset` in `destination`.
    package static func copy(from source: Int32, range: Range<Int>, sourcePath: String,
                     to destination: Int32, at offset: Int, path: String) throws(ModelError) {
        var inPosition = Int64(range.lowerBound)
        var outPosition = Int64(offset)
        var remaining = range.count
        #if os(Linux)
        if let kernelCopy = copyFileRange {
            // In slices, starting the disk writes of each slice at once (`sync_file_range`), so
            // writing back overlaps with copying and the final fsync has little left to wait for.
            var flushed = outPosition
            while remaining > 0 {
                let copied = kernelCopy(source, &inPosition, destination, &outPosition, min(remaining, writeBehind), 0)
                if copied > 0 {
                    remaining -= copied
                    if outPosition - flushed >= Int64(writeBehind) || remaining == 0 {
                        _ = startWriteback?(destination, flushed, outPosition - flushed, 2 /* SYNC_FILE_RANGE_WRITE */)
                        flushed = outPosition
                    }
                    continue
                }
                if copied == 0 {
                    throw ModelError(file: sourcePath, field: nil, reason: "the file ended while copying (was it truncated?)")
                }
                if errno == EINTR { continue }
                // Not supported between these files (other file system, old kernel): copy by hand.
                if [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP, EBADF].contains(errno) { break }
                throw ModelError(file: path, field: nil, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
        }
        #endif
        guard remaining > 0 else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(chunkSize, remaining), alignment: 64)
        defer { buffer.deallocate() }
        while remaining > 0 {
            let wanted = min(buffer.count, remaining)
            let got = pread(source, buffer.baseAddress, wanted, off_t(inPosition))
            if got < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: sourcePath, field: nil, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if got == 0 {
                throw ModelError(file: sourcePath, field: nil, reason: "the file ended while copying (was it truncated?)")
            }
            try write(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), to: destination, at: Int(outPosition), path: path)
            inPosition += Int64(got)
            outPosition += Int64(got)
            remaining -= got
        }
    }

    /// CRC-32 of `range` of `fd`, read in chunks (the bytes never stay in memory).
    package static func crc32(of fd: Int32, range: Range<Int>, path: String) throws(ModelError) -> UInt32 {
        var crc: UInt32 = 0
        var position = range.lowerBound
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, min(chunkSize, range.count)), alignment: 64)
        defer { buffer.deallocate() }
        while position < range.upperBound {
            let got = pread(fd, buffer.baseAddress, min(buffer.count, range.upperBound - position), off_t(position))
            if got < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: path, field: nil, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if got == 0 { throw ModelError(file: path, field: nil, reason: "the file ended while reading") }
            crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), seed: crc)
            position += got
        }
        return crc
    }

    /// Opens a regular file for reading (never blocking: FIFOs, devices and directories are
    /// refused, see `RegularFile`); returns the descriptor and its size. `role` names the
    /// argument the path came from in errors (`--file`, `--labels`).
    package static func openForReading(_ path: String, role: String? = nil) throws(ModelError) -> (fd: Int32, size: Int) {
        let opened = try RegularFile.open(path, role: role)
        return (opened.fd, opened.size)
    }

    /// Bytes copied before their writeback is started.
    package static let writeBehind = 32 << 20

    /// Reserves `size` bytes for a file about to be written in full, so the file system
    /// allocates its extents at once instead of block by block during the copy. Best effort:
    /// where the file system cannot (or on other systems) nothing happens.
    package static func reserve(_ fd: Int32, size: Int) {
        #if os(Linux)
        _ = fallocateSpace?(fd, 0, 0, Int64(size))
        #endif
    }

    #if os(Linux)
    private typealias Fallocate = @convention(c) (Int32, Int32, Int64, Int64) -> Int32

    /// Linux's `fallocate` (not glibc's `posix_fallocate`, which falls back to writing zeros).
    private static let fallocateSpace: Fallocate? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate64") ?? dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate") else { return nil }
        return unsafeBitCast(symbol, to: Fallocate.self)
    }()

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    /// glibc's `sync_file_range`, looked up at run time like `copy_file_range`.
    private static let startWriteback: SyncFileRange? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
    }()

    private typealias CopyFileRange = @convention(c) (
        Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int

    /// glibc's `copy_file_range`, looked up at run time (Swift's Glibc module does not import it).
    private static let copyFileRange: CopyFileRange? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "copy_file_range") else { return nil }
        return unsafeBitCast(symbol, to: CopyFileRange.self)
    }()
    #endif
}
