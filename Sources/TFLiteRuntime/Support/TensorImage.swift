/// An 8-bit image for a model's image input: interleaved pixels plus width and height. The
/// runtime turns it upright (``orientation``), crops it (``crop``), fits it to the tensor's size
/// (``fit``: stretched or letterboxed, bilinear), converts the colour space, normalizes and
/// quantizes it, so generated wrappers stay thin. `TFLiteImageIO` makes one from a PNG or JPEG
/// file (and on Apple platforms from a `CGImage` or `CVPixelBuffer`).
public struct TensorImage: Sendable, Hashable {
    /// How the bytes of one pixel are laid out.
    public enum PixelFormat: String, Sendable, Hashable {
        /// 8 bits per channel: RGB, RGBA, BGRA (alpha ignored) or one gray channel.
        case rgb, rgba, bgra, gray

        /// Bytes per pixel.
        public var bytesPerPixel: Int {
            switch self {
            case .rgb: 3
            case .rgba, .bgra: 4
            case .gray: 1
            }
        }
    }

    /// The width in pixels.

    public let width: Int
    /// The height in pixels.
    public let height: Int
    /// How the pixels are laid out.
    public let format: PixelFormat
    /// `width × height × format.bytesPerPixel` bytes, row by row.
    public let pixels: [UInt8]
    /// How the stored pixels are turned to show the image upright (a camera's EXIF orientation);
    /// ``crop``, boxes and masks are in the upright image's coordinates.
    public var orientation: ImageOrientation = .up
    /// Which part of the upright image the model sees.
    public var crop: ImageCrop = .none
    /// How that part is fitted to the model input's size.
    public var fit: ImageFit = .stretch

    /// An image from interleaved pixels in `format`.
    public init(width: Int, height: Int, pixels: [UInt8], format: PixelFormat) throws(ModelWrapperError) {
        guard width > 0, height > 0 else { throw .invalidImage("size \(width) × \(height) is empty") }
        let (count, overflow) = width.multipliedReportingOverflow(by: height * format.bytesPerPixel)
        guard !overflow, pixels.count == count else {
            throw .invalidImage("\(width) × \(height) \(format.rawValue) takes \(overflow ? "too many" : "\(count)") bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// An image from interleaved 8-bit RGB pixels.
    public init(width: Int, height: Int, rgb: [UInt8]) throws(ModelWrapperError) {
        try self.init(width: width, height: height, pixels: rgb, format: .rgb)
    }

    /// An image from interleaved 8-bit RGBA pixels (alpha is ignored).
    public init(width: Int, height: Int, rgba: [UInt8]) throws(ModelWrapperError) {
        try self.init(width: width, height: height, pixels: rgba, format: .rgba)
    }

    /// An image from interleaved 8-bit BGRA pixels (alpha is ignored).
    public init(width: Int, height: Int, bgra: [UInt8]) throws(ModelWrapperError) {
        try self.init(width: width, height: height, pixels: bgra, format: .bgra)
    }

    /// A grayscale image, one byte a pixel.
    public init(width: Int, height: Int, gray: [UInt8]) throws(ModelWrapperError) {
        try self.init(width: width, height: height, pixels: gray, format: .gray)
    }

    /// The upright width (``width``, or ``height`` when ``orientation`` turns the image by 90°).
    public var orientedWidth: Int { orientation.swapsWidthAndHeight ? height : width }
    /// The upright height.
    public var orientedHeight: Int { orientation.swapsWidthAndHeight ? width : height }

    /// Where this image goes in a `width` × `height` model input, with its ``crop`` and ``fit``.
    public func transform(toWidth inputWidth: Int, height inputHeight: Int) -> ImageTransform {
        ImageTransform(imageWidth: orientedWidth, imageHeight: orientedHeight,
                       inputWidth: inputWidth, inputHeight: inputHeight, crop: crop, fit: fit)
    }

    /// The image with its pixels turned upright (``orientation`` becomes `.up`; crop and fit kept).
    public func oriented() -> TensorImage {
        guard orientation != .up else { return self }
        let step = format.bytesPerPixel
        let ow = orientedWidth, oh = orientedHeight
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<oh {
                    for x in 0..<ow {
                        let stored = orientation.storedPixel(x: x, y: y, width: width, height: height)
                        let from = (stored.y * width + stored.x) * step
                        let to = (y * ow + x) * step
                        for c in 0..<step { target[to + c] = source[from + c] }
                    }
                }
            }
        }
        var image = TensorImage(uncheckedWidth: ow, height: oh, pixels: out, format: format)
        image.crop = crop
        image.fit = fit
        return image
    }

    /// For pixels whose count is known to match.
    private init(uncheckedWidth width: Int, height: Int, pixels: [UInt8], format: PixelFormat) {
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// The image as planes of `channels` (3: R, G, B; 1: luma) floats in 0…255, row-major
    /// interleaved, in its own size.
    public func channelValues(channels: Int) -> [Float] {
        let pixelCount = width * height
        var out = [Float](repeating: 0, count: pixelCount * channels)
        let step = format.bytesPerPixel
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<pixelCount {
                let base = i * step
                let r, g, b: Float
                switch format {
                case .rgb, .rgba: (r, g, b) = (Float(p[base]), Float(p[base + 1]), Float(p[base + 2]))
                case .bgra: (r, g, b) = (Float(p[base + 2]), Float(p[base + 1]), Float(p[base]))
                case .gray: (r, g, b) = (Float(p[base]), Float(p[base]), Float(p[base]))
                }
                if channels == 1 {
                    out[i] = format == .gray ? r : TensorImage.luma(r, g, b)
                } else {
                    out[i * 3] = r
                    out[i * 3 + 1] = g
                    out[i * 3 + 2] = b
                }
            }
        }
        return out
    }

    /// BT.601 luma, as grayscale conversion usually is.
    @inline(__always)
    static func luma(_ r: Float, _ g: Float, _ b: Float) -> Float {
        (0.299 * r + 0.587 * g + 0.114 * b).rounded()
    }
}
