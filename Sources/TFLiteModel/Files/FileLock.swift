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

/// An advisory lock (`flock`) on a file for a read-modify-write, so that two processes editing
/// the same file in place take turns instead of one silently losing its edit.
///
/// Editing replaces the file by renaming a new one over it, so the lock taken on the old file
/// would not stop a process that opens the new one. After locking, the path is checked to still
/// name the locked file; if it was replaced meanwhile, the lock is taken again on the new file.
package final class FileLock {
    private var fd: Int32

    /// Locks the regular file at `path` exclusively, waiting for other holders. `role` names
    /// the argument in errors. The lock is held until `release()` (or deinit).
    package init(exclusive path: String, role: String? = nil) throws(ModelError) {
        fd = try Self.lock(path, role: role)
    }

    /// Releases the lock.
    package func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    /// Opens and locks `path`, retrying while it is replaced under us; returns the descriptor.
    static func lock(_ path: String, role: String?) throws(ModelError) -> Int32 {
        for _ in 0..<100 {
            let file = try RegularFile.open(path, role: role)
            while flock(file.fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let message = String(cString: strerror(errno))
                    close(file.fd)
                    throw ModelError(file: path, field: role, reason: "cannot lock the file: \(message)")
                }
            }
            var held = stat()
            var current = stat()
            if fstat(file.fd, &held) == 0, stat(path, &current) == 0,
               held.st_dev == current.st_dev, held.st_ino == current.st_ino {
                return file.fd
            }
            // Replaced while we waited: lock the new file instead.
            flock(file.fd, LOCK_UN)
            close(file.fd)
        }
        throw ModelError(file: path, field: role, reason: "cannot lock the file: it keeps being replaced")
    }
}
