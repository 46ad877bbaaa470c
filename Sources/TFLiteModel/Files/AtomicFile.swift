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

/// Writes a file atomically: into a temporary file beside the target, flushed to disk, then
/// renamed over it. Readers see the old file or the complete new one, never a torn one; on
/// failure the temporary file is removed and the target is untouched. `rename` replaces a
/// symbolic link at `path` itself, so a write never goes through a link to somewhere else.
///
/// Temporary files are named `.NAME.tmp-PID-XXXXXX`: a writer killed before it could clean up
/// leaves one behind, and the next write of the same name removes those of processes that no
/// longer run.
package enum AtomicFile {
    /// Writes `path` with what `body` writes to the temporary file descriptor.
    package static func write(to path: String, permissions: mode_t = 0o644,
                             _ body: (Int32) throws(ModelError) -> Void) throws(ModelError) {
        try write(to: path, permissions: permissions) { (fd, _) throws(ModelError) in try body(fd) }
    }

    /// Writes `path` with what `body` writes to the temporary file descriptor; `body` also gets
    /// the temporary file's path, e.g. to read the result back and check it before it replaces
    /// `path`.
    package static func write(to path: String, permissions: mode_t = 0o644,
                             _ body: (Int32, String) throws(ModelError) -> Void) throws(ModelError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        removeStale(of: url.lastPathComponent, in: directory)
        var template = Array("\(directory)/\(temporaryPrefix(of: url.lastPathComponent))\(getpid())-XXXXXX".utf8CString)
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
    package static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(ModelError) {
        try write(to: path) { (fd) throws(ModelError) in
            try writeAll(fd, bytes, path: path)
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(ModelError) {
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

    /// `.NAME.tmp-`: what every temporary file for `name` starts with.
    static func temporaryPrefix(of name: String) -> String { ".\(name).tmp-" }

    /// Removes `directory`'s temporary files for `name` left by writers that no longer run
    /// (killed mid-write). Files of live processes, and names that do not parse, are kept.
    package static func removeStale(of name: String, in directory: String) {
        let prefix = temporaryPrefix(of: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[rest.startIndex..<dash]), pid > 0,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(directory.isEmpty ? entry : directory.hasSuffix("/") ? directory + entry : "\(directory)/\(entry)")
        }
    }
}
