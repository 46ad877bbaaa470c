/// Why an image could not be decoded; the message names the file (or `data`) and the format.
public struct ImageDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Hashable, Sendable {
        /// The file cannot be opened or read (the system's reason).
        case unreadable(String)
        /// Neither a PNG nor a JPEG file (by its first bytes).
        case unknownFormat
        /// Broken or truncated (the decoder's reason).
        case corrupt(String)
        /// Width, height or pixel count over ``ImageDecodingLimits`` (checked before any pixel
        /// memory is allocated); `width` and `height` as declared.
        case tooLarge(width: Int, height: Int, reason: String)
        /// A valid file of a kind that is not decoded (a pixel format, a colour model).
        case unsupported(String)
        /// An allocation failed.
        case outOfMemory
    }

    /// The file's path, or a name for the bytes (`data`, `CGImage`, `CVPixelBuffer`).
    public var source: String
    /// `PNG`, `JPEG`, or nil when not known.
    public var format: String?
    /// What went wrong.
    public var reason: Reason

    /// An error about `source` in `format`.
    public init(source: String, format: String? = nil, reason: Reason) {
        self.source = source
        self.format = format
        self.reason = reason
    }

    public var description: String {
        let what = format.map { " (\($0))" } ?? ""
        switch reason {
        case .unreadable(let text): return "\(source): cannot read the image: \(text)"
        case .unknownFormat: return "\(source): not a PNG or JPEG image (unknown first bytes)"
        case .corrupt(let text): return "\(source)\(what): not a readable image: \(text)"
        case .tooLarge(let width, let height, let text): return "\(source)\(what): \(width) × \(height) pixels is too large: \(text)"
        case .unsupported(let text): return "\(source)\(what): unsupported: \(text)"
        case .outOfMemory: return "\(source)\(what): out of memory while decoding"
        }
    }
}
