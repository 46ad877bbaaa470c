#if os(Linux)
import CImageDecoders
import TFLiteRuntime

/// PNG and JPEG through libpng and libjpeg-turbo (the `CImageDecoders` shim keeps their
/// setjmp/longjmp in C): the header is read and checked against the limits, then the pixels are
/// decoded straight into the image's storage.
enum SystemLibraryDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, format: ImageFileFormat, source: String,
                       limits: ImageDecodingLimits) throws(ImageDecodingError) -> TensorImage {
        func failure(_ status: cid_status, _ header: cid_header) -> ImageDecodingError {
            let message = withUnsafeBytes(of: header.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let reason: ImageDecodingError.Reason
            switch status {
            case CID_TOO_LARGE: reason = .tooLarge(width: Int(header.width), height: Int(header.height), reason: message)
            case CID_UNSUPPORTED: reason = .unsupported(message)
            case CID_OUT_OF_MEMORY: reason = .outOfMemory
            default: reason = .corrupt(message)
            }
            return ImageDecodingError(source: source, format: format.rawValue, reason: reason)
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .corrupt("empty"))
        }
        var cLimits = cid_limits(
            max_width: UInt32(clamping: limits.maxWidth), max_height: UInt32(clamping: limits.maxHeight),
            max_pixels: UInt64(clamping: limits.maxPixels), max_chunk_bytes: UInt64(clamping: limits.maxChunkBytes),
            max_scans: UInt32(clamping: limits.maxScans))
        typealias Begin = (UnsafePointer<UInt8>, Int, UnsafePointer<cid_limits>, UnsafeMutablePointer<OpaquePointer?>,
                           UnsafeMutablePointer<cid_header>) -> cid_status
        typealias Finish = (OpaquePointer, UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<cid_header>) -> cid_status
        let (begin, finish, free): (Begin, Finish, (OpaquePointer) -> Void) = switch format {
        case .png: ({ cid_png_begin($0, $1, $2, $3, $4) }, { cid_png_finish($0, $1, $2, $3) }, { cid_png_free($0) })
        case .jpeg: ({ cid_jpeg_begin($0, $1, $2, $3, $4) }, { cid_jpeg_finish($0, $1, $2, $3) }, { cid_jpeg_free($0) })
        }
        var header = cid_header()
        var decoder: OpaquePointer?
        let begun = begin(base, bytes.count, &cLimits, &decoder, &header)
        guard begun == CID_OK, let decoder else { throw failure(begun, header) }
        defer { free(decoder) }
        try checkLimits(header, limits: limits, format: format, source: source)
        var pixels = [UInt8](repeating: 0, count: Int(header.width) * Int(header.height) * Int(header.channels))
        let finished = pixels.withUnsafeMutableBytes { out in
            finish(decoder, out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count, &header)
        }
        guard finished == CID_OK else { throw failure(finished, header) }
        let layout: TensorImage.PixelFormat
        switch header.channels {
        case 1: layout = .gray
        case 3: layout = .rgb
        case 4: layout = .rgba
        default: throw ImageDecodingError(source: source, format: format.rawValue, reason: .unsupported("\(header.channels) channels"))
        }
        do {
            return try TensorImage(width: Int(header.width), height: Int(header.height), pixels: pixels, format: layout)
        } catch {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .corrupt(error.description))
        }
    }

    /// The limits again on the Swift side (the C side checks them too), before allocating.
    private static func checkLimits(_ header: cid_header, limits: ImageDecodingLimits, format: ImageFileFormat,
                                    source: String) throws(ImageDecodingError) {
        let width = Int(header.width), height = Int(header.height)
        if width == 0 || height == 0 {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .corrupt("empty image (\(width) × \(height))"))
        }
        if let broken = limits.check(width: width, height: height) {
            throw ImageDecodingError(source: source, format: format.rawValue, reason: .tooLarge(width: width, height: height, reason: broken))
        }
    }
}
#endif
