/// Limits that hold while decoding untrusted files: checked on the header, before any pixel
/// memory is allocated.
public struct ImageDecodingLimits: Sendable, Hashable {
    /// The largest file read, in bytes.
    public var maxFileBytes: Int
    /// The widest image, in pixels.
    public var maxWidth: Int
    /// The tallest image, in pixels.
    public var maxHeight: Int
    /// The most pixels (width × height); the decoded image takes up to 4 bytes a pixel.
    public var maxPixels: Int
    /// PNG: the largest ancillary chunk (text, ICC profile), in bytes, after decompression.
    public var maxChunkBytes: Int
    /// JPEG: the most progressive scans (each costs a pass over the image).
    public var maxScans: Int

    /// The default limits: 256 MiB files, 32768 pixels a side, 64 Mi pixels (256 MiB of RGBA),
    /// 8 MiB chunks, 500 scans.
    public init(maxFileBytes: Int = 256 << 20, maxWidth: Int = 32_768, maxHeight: Int = 32_768,
                maxPixels: Int = 64 << 20, maxChunkBytes: Int = 8 << 20, maxScans: Int = 500) {
        self.maxFileBytes = maxFileBytes
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
        self.maxChunkBytes = maxChunkBytes
        self.maxScans = maxScans
    }

    /// Whether a `width` × `height` image fits, and if not, which limit it breaks.
    func check(width: Int, height: Int) -> String? {
        if width > maxWidth { return "wider than the limit of \(maxWidth) pixels" }
        if height > maxHeight { return "taller than the limit of \(maxHeight) pixels" }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxPixels { return "more than the limit of \(maxPixels) pixels" }
        return nil
    }
}
