/// A rectangle of whole pixels: origin at the top left.
public struct ImageRegion: Sendable, Hashable, CustomStringConvertible {
    /// The left column.
    public var x: Int
    /// The top row.
    public var y: Int
    /// The width in pixels.
    public var width: Int
    /// The height in pixels.
    public var height: Int

    /// The region of `width` × `height` pixels whose top-left pixel is (`x`, `y`).
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "(\(x), \(y), \(width) × \(height))" }

    /// The part of the region inside a `width` × `height` image, at least one pixel (the
    /// nearest edge pixel when the region lies outside).
    public func clamped(width imageWidth: Int, height imageHeight: Int) -> ImageRegion {
        let w = max(imageWidth, 1), h = max(imageHeight, 1)
        let left = min(max(x, 0), w - 1), top = min(max(y, 0), h - 1)
        let (rightEnd, rightOverflow) = x.addingReportingOverflow(max(width, 0))
        let (bottomEnd, bottomOverflow) = y.addingReportingOverflow(max(height, 0))
        let right = min(max(rightOverflow ? w : rightEnd, left + 1), w)
        let bottom = min(max(bottomOverflow ? h : bottomEnd, top + 1), h)
        return ImageRegion(x: left, y: top, width: right - left, height: bottom - top)
    }
}
