#if canImport(CoreVideo)
import CoreVideo
import TFLiteRuntime

extension TensorImage {
    /// The pixels of `pixelBuffer` (a camera frame): 32BGRA, 32RGBA, 24RGB or OneComponent8
    /// (ask `AVCaptureVideoDataOutput` for `kCVPixelFormatType_32BGRA`; planar YUV is refused).
    /// `orientation` says how the frame is turned to show upright (e.g. `.right` for the back
    /// camera of a phone held upright).
    public init(pixelBuffer: CVPixelBuffer, orientation: ImageOrientation = .up,
                limits: ImageDecodingLimits = ImageDecodingLimits()) throws(ImageDecodingError) {
        let source = "CVPixelBuffer"
        let type = CVPixelBufferGetPixelFormatType(pixelBuffer)
        let layout: TensorImage.PixelFormat
        switch type {
        case kCVPixelFormatType_32BGRA: layout = .bgra
        case kCVPixelFormatType_32RGBA: layout = .rgba
        case kCVPixelFormatType_24RGB: layout = .rgb
        case kCVPixelFormatType_OneComponent8: layout = .gray
        default:
            throw ImageDecodingError(source: source, reason: .unsupported("pixel format \(TensorImage.fourCharacterCode(type)) (32BGRA, 32RGBA, 24RGB or OneComponent8 are read)"))
        }
        guard !CVPixelBufferIsPlanar(pixelBuffer) else {
            throw ImageDecodingError(source: source, reason: .unsupported("planar pixel buffer"))
        }
        let width = CVPixelBufferGetWidth(pixelBuffer), height = CVPixelBufferGetHeight(pixelBuffer)
        guard width > 0, height > 0 else {
            throw ImageDecodingError(source: source, reason: .corrupt("empty image (\(width) × \(height))"))
        }
        if let broken = limits.check(width: width, height: height) {
            throw ImageDecodingError(source: source, reason: .tooLarge(width: width, height: height, reason: broken))
        }
        guard CVPixelBufferLockBaseAddress(pixelBuffer, .readOnly) == kCVReturnSuccess else {
            throw ImageDecodingError(source: source, reason: .unreadable("cannot lock the pixel buffer"))
        }
        defer { CVPixelBufferUnlockBaseAddress(pixelBuffer, .readOnly) }
        let rowBytes = width * layout.bytesPerPixel
        let stride = CVPixelBufferGetBytesPerRow(pixelBuffer)
        guard let base = CVPixelBufferGetBaseAddress(pixelBuffer), stride >= rowBytes,
              CVPixelBufferGetDataSize(pixelBuffer) >= stride * (height - 1) + rowBytes else {
            throw ImageDecodingError(source: source, reason: .corrupt("the pixel buffer is smaller than \(width) × \(height) pixels"))
        }
        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        pixels.withUnsafeMutableBytes { out in
            guard let target = out.baseAddress else { return }
            for y in 0..<height {
                (target + y * rowBytes).copyMemory(from: base + y * stride, byteCount: rowBytes)
            }
        }
        let image: TensorImage
        do { image = try TensorImage(width: width, height: height, pixels: pixels, format: layout) } catch {
            throw ImageDecodingError(source: source, reason: .corrupt(error.description))
        }
        self = image
        self.orientation = orientation
    }

    /// A pixel format code as its four characters in quotes (`'BGRA'`), or its number.
    static func fourCharacterCode(_ code: OSType) -> String {
        let bytes = [24, 16, 8, 0].map { UInt8((code >> $0) & 0xFF) }
        return bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) ? "'" + String(decoding: bytes, as: UTF8.self) + "'" : "\(code)"
    }
}
#endif
