import Foundation
import TFLiteModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: into a temporary file beside the target, flushed to disk, then
/// renamed over it. Readers see the old file or the complete new one, never a torn one; on
/// failure the temporary file is removed and the target is untouched.
public enum AtomicFile {
    /// Writes `path` with what `body` writes to the temporary file descriptor.
    public static func write(to path: String, permissions: mode_t = 0o644,
                             _ body: (Int32) throws(ModelError) -> Void) throws(ModelError) {
        try write(to: path, permissions: permissions) { (fd, _) throws(ModelError) in try body(fd) }
    }

    /// Writes `path` with what `body` writes to the temporary file descriptor; `body` also gets
    /// the temporary file's path, e.g. to read the result back and check it before it replaces
    /// `path`.
    public static func write(to path: String, permissions: mode_t = 0o644,
                             _ body: (Int32, String) throws(ModelError) -> Void) throws(ModelError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else {
            throw ModelError(file: path, field: nil, reason: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        let temporary = String(cString: template.map { $0 })
        var finished = false
        defer {
            if !finished {
                close(fd)
                unlink(temporary)
            }
        }
        try body(fd, temporary)
        guard fchmod(fd, permissions) == 0, fsync(fd) == 0 else {
            throw ModelError(file: path, field: nil, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        close(fd)
        finished = true
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw ModelError(file: path, field: nil, reason: "cannot replace the file: \(message)")
        }
        // Make the rename itself durable.
        let directoryFD = open(directory, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(ModelError) {
        try write(to: path) { (fd) throws(ModelError) in
            try writeAll(fd, bytes, path: path)
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(ModelError) {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            #if canImport(Glibc)
            let written = Glibc.write(fd, base + offset, bytes.count - offset)
            #else
            let written = Darwin.write(fd, base + offset, bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: path, field: nil, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
