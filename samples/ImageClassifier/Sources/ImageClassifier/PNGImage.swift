import CPNG
import Foundation
import TFLiteRuntime

/// An RGB image decoded from PNG bytes with libpng's simplified API (any PNG colour type and
/// bit depth is converted to 8-bit RGB; a corrupt file is an error, never a crash).
struct PNGImage {
    var width: Int
    var height: Int
    var rgb: [UInt8]

    /// Images larger than this are refused before any pixel memory is allocated.
    static let maxPixels = 64 << 20

    init(contentsOf url: URL) throws {
        let bytes = try Data(contentsOf: url)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard begun != 0 else { throw PNGError(url, Self.message(&image)) }
        defer { png_image_free(&image) }
        guard Int(image.width) * Int(image.height) <= Self.maxPixels else {
            throw PNGError(url, "\(image.width) × \(image.height) pixels is too large")
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 3)
        let finished = bytes.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
            }
        }
        guard finished != 0 else { throw PNGError(url, Self.message(&image)) }
        width = Int(image.width)
        height = Int(image.height)
        rgb = pixels
    }

    var tensorImage: TensorImage {
        get throws { try TensorImage(width: width, height: height, rgb: rgb) }
    }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

struct PNGError: Error, CustomStringConvertible {
    let description: String
    init(_ url: URL, _ reason: String) { description = "\(url.lastPathComponent): not a readable PNG: \(reason)" }
}
