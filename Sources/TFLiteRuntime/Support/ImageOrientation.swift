/// How stored pixels are turned to show the image upright: the eight values of the EXIF/TIFF
/// `Orientation` tag (JPEG files from cameras) and of `CGImagePropertyOrientation`.
///
/// The preprocessing applies it first, so crop regions, letterbox transforms, detection boxes and
/// segmentation masks are all in the upright image's coordinates.
public enum ImageOrientation: UInt8, Sendable, Hashable, CaseIterable {
    /// As stored (EXIF 1).
    case up = 1
    /// Mirrored left to right (EXIF 2).
    case upMirrored = 2
    /// Turned 180° (EXIF 3).
    case down = 3
    /// Mirrored top to bottom (EXIF 4).
    case downMirrored = 4
    /// Transposed: rows become columns (EXIF 5).
    case leftMirrored = 5
    /// Stored turned 90° anticlockwise: shown turned 90° clockwise (EXIF 6, a phone held upright).
    case right = 6
    /// Transverse: mirrored and turned (EXIF 7).
    case rightMirrored = 7
    /// Stored turned 90° clockwise: shown turned 90° anticlockwise (EXIF 8).
    case left = 8

    /// Whether width and height trade places.
    public var swapsWidthAndHeight: Bool { rawValue >= 5 }

    /// The upright size of a stored `width` × `height` image.
    public func orientedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsWidthAndHeight ? (height, width) : (width, height)
    }

    /// The stored pixel shown at upright (`x`, `y`) of an image stored as `width` × `height`.
    @inline(__always)
    public func storedPixel(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: (x, y)
        case .upMirrored: (width - 1 - x, y)
        case .down: (width - 1 - x, height - 1 - y)
        case .downMirrored: (x, height - 1 - y)
        case .leftMirrored: (y, x)
        case .right: (y, height - 1 - x)
        case .rightMirrored: (width - 1 - y, height - 1 - x)
        case .left: (width - 1 - y, x)
        }
    }
}
