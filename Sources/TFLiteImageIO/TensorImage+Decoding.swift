#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
import TFLiteRuntime

extension TensorImage {
    /// Decodes the PNG or JPEG file at `url` (recognised by its first bytes).
    ///
    /// PNG: any bit depth and colour type (16-bit samples keep their high byte, palettes are
    /// expanded; grey stays grey, colour with transparency becomes RGBA), interlaced or not.
    /// JPEG: baseline or progressive; grey, YCbCr and RGB, CMYK converted to RGB. The EXIF
    /// orientation (a JPEG's APP1 segment, a PNG's `eXIf` chunk) becomes `TensorImage.orientation` (the pixels stay as stored; the
    /// preprocessing turns them upright, `TensorImage.oriented()` does it now). On Linux the
    /// decoders are libpng and libjpeg-turbo, on Apple platforms ImageIO.
    ///
    /// The file is untrusted: sizes are checked against `limits` before any pixel memory is
    /// allocated, and every failure is an ``ImageDecodingError`` naming the file.
    public init(contentsOf url: URL, limits: ImageDecodingLimits = ImageDecodingLimits()) throws(ImageDecodingError) {
        let path = url.path
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: limits.maxFileBytes, what: "images")
        } catch {
            throw ImageDecodingError(source: path, reason: .unreadable(error.reason))
        }
        self = try bytes.withUnsafeBytes { raw in
            Result { () throws(ImageDecodingError) in try TensorImage.decode(raw, source: path, limits: limits) }
        }.get()
    }

    /// Decodes a PNG or JPEG image from `data`; `source` names it in errors.
    public init(data: Data, source: String = "data", limits: ImageDecodingLimits = ImageDecodingLimits()) throws(ImageDecodingError) {
        guard data.count <= limits.maxFileBytes else {
            throw ImageDecodingError(source: source, reason: .unreadable("\(data.count) bytes, over the limit of \(limits.maxFileBytes) bytes"))
        }
        let bytes = [UInt8](data)
        self = try bytes.withUnsafeBytes { raw in
            Result { () throws(ImageDecodingError) in try TensorImage.decode(raw, source: source, limits: limits) }
        }.get()
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, source: String, limits: ImageDecodingLimits) throws(ImageDecodingError) -> TensorImage {
        guard let format = ImageFileFormat(sniffing: bytes) else {
            throw ImageDecodingError(source: source, reason: .unknownFormat)
        }
        #if os(Linux)
        var image = try SystemLibraryDecoder.decode(bytes, format: format, source: source, limits: limits)
        #elseif canImport(ImageIO)
        var image = try ImageIODecoder.decode(bytes, format: format, source: source, limits: limits)
        #else
        throw ImageDecodingError(source: source, format: format.rawValue, reason: .unsupported("no image decoder on this platform"))
        #endif
        let orientation = switch format {
        case .jpeg: ExifOrientation.read(jpeg: bytes)
        case .png: ExifOrientation.read(png: bytes, maxChunkBytes: limits.maxChunkBytes)
        }
        if let orientation { image.orientation = orientation }
        return image
    }
}
