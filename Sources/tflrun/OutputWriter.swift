import Foundation
import TFLiteModel
import TFLiteRuntime

/// Writes `tflrun run`'s outputs: each `.npy` file atomically (`AtomicFile`: a temporary file
/// in the directory, flushed, renamed over the target), so a full disk or a kill leaves the
/// previous file whole, and a symbolic link at the target is replaced rather than followed.
enum OutputWriter {
    /// Creates `path` (and its parents) unless it is already a directory.
    static func prepareDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ToolFailure("\(path): --output-dir: not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ToolFailure("\(path): --output-dir: cannot create the directory: \(reason(error))")
        }
    }

    /// Writes `array` to `path` atomically.
    static func write(_ array: NumPyArray, to path: String) throws {
        let data: Data
        do { data = try array.npyData() } catch { throw ToolFailure("\(path): \(error)") }
        let failure: ModelError? = data.withUnsafeBytes { raw in
            do throws(ModelError) { try AtomicFile.write(raw, to: path); return nil } catch { return error }
        }
        // The error names the file and the system's reason in one line.
        if let failure { throw ToolFailure(failure.description) }
    }

    /// The system's one-line reason for a Foundation error (its POSIX error when there is one).
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription.replacingOccurrences(of: "\n", with: " ")
    }
}
