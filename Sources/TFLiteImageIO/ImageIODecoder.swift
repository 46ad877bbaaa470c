#if canImport(ImageIO) && !os(Linux)
import CoreGraphics
import Foundation
import ImageIO
import TFLiteRuntime

/// PNG and JPEG through ImageIO on Apple platforms: the size is read from the properties and
/// checked against the limits before the image is decoded.
enum ImageIODecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, format: ImageFileFormat, source: String,
                       limits: ImageDecodingLimits) throws(ImageDecodingError) -> TensorImage {
        let data = Data(bytes) as CFData
        guard let imageSource = CGImageSourceCreateWithData(data, nil), CGImageSourceGetCount(imageSource) > 0 else {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .corrupt("ImageIO finds no image"))
        }
        guard let properties = CGImageSourceCopyPropertiesAtIndex(imageSource, 0, nil) as? [CFString: Any],
              let width = (properties[kCGImagePropertyPixelWidth] as? NSNumber)?.intValue,
              let height = (properties[kCGImagePropertyPixelHeight] as? NSNumber)?.intValue else {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .corrupt("ImageIO finds no size"))
        }
        if let broken = limits.check(width: width, height: height) {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .tooLarge(width: width, height: height, reason: broken))
        }
        let options = [kCGImageSourceShouldCache: false] as CFDictionary
        guard let cgImage = CGImageSourceCreateImageAtIndex(imageSource, 0, options) else {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .corrupt("ImageIO cannot decode it"))
        }
        var image = try TensorImage(cgImage: cgImage, source: source, limits: limits)
        if let value = (properties[kCGImagePropertyOrientation] as? NSNumber)?.intValue,
           let orientation = ImageOrientation(rawValue: UInt8(clamping: value)) {
            image.orientation = orientation
        }
        return image
    }
}
#endif
