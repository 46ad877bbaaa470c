import Foundation
@_spi(GeneratedCode) import TFLiteRuntime
import TFLiteImageIO

/// PNG and JPEG decoding (libpng and libjpeg-turbo through the C shim, the EXIF reader), then the
/// preprocessing a wrapper runs: upright, centre crop, letterbox, resize. Small limits keep each
/// run fast; a decoded image must be consistent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageDecoding(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let limits = ImageDecodingLimits(maxWidth: 2048, maxHeight: 2048, maxPixels: 1 << 20, maxScans: 100)
    guard var image = try? TensorImage(data: data, source: "fuzz", limits: limits) else { return 0 }
    precondition(image.pixels.count == image.width * image.height * image.format.bytesPerPixel)
    let preprocessor = ImagePreprocessor(colorSpace: .rgb, mean: [127.5], std: [127.5])
    image.crop = .center
    image.fit = .letterbox(fill: 114)
    _ = preprocessor.normalizedValues(image, width: 17, height: 9, channels: 3)
    _ = image.oriented()
    return 0
}
