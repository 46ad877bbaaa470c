#if canImport(CoreGraphics)
import CoreGraphics
import TFLiteRuntime

extension TensorImage {
    /// The pixels of `cgImage` drawn into 8-bit RGB (alpha dropped: transparent pixels show
    /// black); `orientation` says how they are turned to show upright. `source` names the image
    /// in errors.
    public init(cgImage: CGImage, orientation: ImageOrientation = .up, source: String = "CGImage",
                limits: ImageDecodingLimits = ImageDecodingLimits()) throws(ImageDecodingError) {
        let width = cgImage.width, height = cgImage.height
        guard width > 0, height > 0 else {
            throw ImageDecodingError(source: source, reason: .corrupt("empty image (\(width) × \(height))"))
        }
        if let broken = limits.check(width: width, height: height) {
            throw ImageDecodingError(source: source, reason: .tooLarge(width: width, height: height, reason: broken))
        }
        var rgbx = [UInt8](repeating: 0, count: width * height * 4)
        let drawn: Bool = rgbx.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress,
                  let space = CGColorSpace(name: CGColorSpace.sRGB),
                  let context = CGContext(data: base, width: width, height: height, bitsPerComponent: 8,
                                          bytesPerRow: width * 4, space: space,
                                          bitmapInfo: CGImageAlphaInfo.noneSkipLast.rawValue) else { return false }
            context.draw(cgImage, in: CGRect(x: 0, y: 0, width: width, height: height))
            return true
        }
        guard drawn else { throw ImageDecodingError(source: source, reason: .unsupported("CoreGraphics cannot draw it into RGB")) }
        // RGBX: the fourth byte is unused, as alpha is in `.rgba`.
        let image: TensorImage
        do { image = try TensorImage(width: width, height: height, rgba: rgbx) } catch {
            throw ImageDecodingError(source: source, reason: .corrupt(error.description))
        }
        self = image
        self.orientation = orientation
    }
}
#endif
