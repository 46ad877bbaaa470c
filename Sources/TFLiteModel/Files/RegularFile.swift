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

/// The one way the tools open a file they read: without blocking (a FIFO with no writer, a
/// terminal or a device never hangs the caller), and only when it is a regular file. Everything
/// else is refused in one line naming the file and what it is.
package enum RegularFile {
    /// An open regular file: its descriptor (blocking again, close-on-exec) and its size.
    package struct Opened: Sendable {
        package let fd: Int32
        package let size: Int
    }

    /// Opens `path` for reading. `role` names the argument in errors (`--labels`, `model`).
    package static func open(_ path: String, role: String? = nil) throws(ModelError) -> Opened {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            throw ModelError(file: path, field: role, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ModelError(file: path, field: role, reason: "cannot stat: \(message)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ModelError(file: path, field: role, reason: "not a regular file (\(kind(info.st_mode)))")
        }
        // Regular files never block; clear the flag so reads behave as usual.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return Opened(fd: fd, size: Int(info.st_size))
    }

    /// Reads all of regular file `path`, refusing one larger than `limit` bytes (`what` names
    /// the limit in the error, e.g. "label files").
    package static func read(_ path: String, role: String? = nil, limit: Int, what: String) throws(ModelError) -> [UInt8] {
        let file = try open(path, role: role)
        defer { close(file.fd) }
        guard file.size <= limit else {
            throw ModelError(file: path, field: role, reason: "is \(file.size) bytes, over the limit of \(limit) bytes for \(what)")
        }
        var bytes = [UInt8](repeating: 0, count: file.size)
        var done = 0
        while done < file.size {
            let got = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(file.fd, base + done, file.size - done, off_t(done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: path, field: role, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }  // shrank while reading: keep what is there
            done += got
        }
        return done == bytes.count ? bytes : Array(bytes[0..<done])
    }

    /// What a non-regular file is, for errors.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    private static func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags)
        #else
        Darwin.open(path, flags)
        #endif
    }
}
