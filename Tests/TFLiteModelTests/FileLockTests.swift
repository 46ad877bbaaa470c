import Foundation
import Testing
import TFLiteModel
#if canImport(Glibc)
import Glibc
#endif

/// `FileLock`: exclusive while held, follows a file replaced by rename, refuses FIFOs.
@Suite struct FileLockTests {
    static func temporaryFile(_ name: String = "model.tflite") throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "filelock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appending(path: name).path
        try Data("model".utf8).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    /// Whether another open file description could take the lock now.
    static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    @Test func heldUntilReleased() throws {
        let (directory, path) = try Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lock = try FileLock(exclusive: path)
        #expect(Self.isLocked(path))
        lock.release()
        #expect(!Self.isLocked(path))
    }

    @Test func locksTheFileThePathNamesAfterARename() throws {
        let (directory, path) = try Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try FileLock(exclusive: path)
        // Another writer replaces the file while we hold the old one's lock.
        let replacement = directory.appending(path: "new").path
        try Data("new".utf8).write(to: URL(fileURLWithPath: replacement))
        #expect(rename(replacement, path) == 0)
        first.release()
        let second = try FileLock(exclusive: path)
        defer { second.release() }
        #expect(Self.isLocked(path), "the lock is on the file the path names now")
    }

    @Test func refusesAFIFO() throws {
        let (directory, _) = try Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appending(path: "fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: ModelError.self) { try FileLock(exclusive: fifo, role: "model") }
    }
}
