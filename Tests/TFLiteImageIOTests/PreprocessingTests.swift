import Foundation
import Testing
import TestSupport
import TFLiteImageIO
@_spi(GeneratedCode) import TFLiteRuntime

/// A small RGB image with distinct pixels.
private func testImage(width: Int = 48, height: Int = 32) throws -> TensorImage {
    let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 7) }
    return try TensorImage(width: width, height: height, rgb: pixels)
}

/// The pixels of `region` of `image`, as a new image.
private func cropped(_ image: TensorImage, _ region: ImageRegion) throws -> TensorImage {
    var pixels: [UInt8] = []
    let step = image.format.bytesPerPixel
    for y in region.y..<(region.y + region.height) {
        let start = (y * image.width + region.x) * step
        pixels += image.pixels[start..<(start + region.width * step)]
    }
    return try TensorImage(width: region.width, height: region.height, pixels: pixels, format: image.format)
}

@Suite("Preprocessing: orientation, crop, letterbox and the recorded transform")
struct PreprocessingTests {
    let rgb = ImagePreprocessor(colorSpace: .rgb, mean: [127.5], std: [127.5])
    let gray = ImagePreprocessor(colorSpace: .grayscale)

    @Test("sampling through the orientation equals turning the pixels first", arguments: ImageOrientation.allCases)
    func orientation(_ orientation: ImageOrientation) throws {
        var image = try testImage()
        image.orientation = orientation
        let upright = image.oriented()
        #expect(upright.width == image.orientedWidth && upright.height == image.orientedHeight)
        for preprocessor in [rgb, gray] {
            let channels = preprocessor.colorSpace == .rgb ? 3 : 1
            #expect(preprocessor.normalizedValues(image, width: 20, height: 13, channels: channels)
                    == preprocessor.normalizedValues(upright, width: 20, height: 13, channels: channels))
        }
    }

    @Test("EXIF 6 from a real file: the model sees the upright photo")
    func exifFile() throws {
        let image = try TensorImage(contentsOf: Fixtures.url("images/exif6.jpg"))
        let upright = try referencePixels("exif6_upright.npy")
        #expect(image.orientation == .right)
        #expect(image.orientedWidth == upright.width && image.orientedHeight == upright.height)
        let reference = try TensorImage(width: upright.width, height: upright.height, rgb: upright.pixels)
        #expect(rgb.normalizedValues(image, width: 16, height: 24, channels: 3) == rgb.normalizedValues(reference, width: 16, height: 24, channels: 3))
    }

    @Test("a crop region is the same as cropping the pixels, then resizing")
    func region() throws {
        var image = try testImage()
        let region = ImageRegion(x: 5, y: 3, width: 30, height: 20)
        image.crop = .region(region)
        let manual = try cropped(try testImage(), region)
        #expect(rgb.normalizedValues(image, width: 12, height: 9, channels: 3) == rgb.normalizedValues(manual, width: 12, height: 9, channels: 3))
        #expect(image.transform(toWidth: 12, height: 9).region == region)
    }

    @Test("a centre crop takes the largest centred region with the input's aspect ratio")
    func center() throws {
        var image = try testImage()
        image.crop = .center
        #expect(image.transform(toWidth: 32, height: 32).region == ImageRegion(x: 8, y: 0, width: 32, height: 32))
        #expect(image.transform(toWidth: 20, height: 10).region == ImageRegion(x: 0, y: 4, width: 48, height: 24))
        let manual = try cropped(try testImage(), ImageRegion(x: 8, y: 0, width: 32, height: 32))
        #expect(rgb.normalizedValues(image, width: 16, height: 16, channels: 3) == rgb.normalizedValues(manual, width: 16, height: 16, channels: 3))
    }

    @Test("regions outside the image are clamped to at least one pixel")
    func clamped() {
        #expect(ImageRegion(x: -5, y: -5, width: 10, height: 100).clamped(width: 48, height: 32) == ImageRegion(x: 0, y: 0, width: 5, height: 32))
        #expect(ImageRegion(x: 100, y: 40, width: 10, height: 10).clamped(width: 48, height: 32) == ImageRegion(x: 47, y: 31, width: 1, height: 1))
        #expect(ImageRegion(x: Int.max, y: 0, width: Int.max, height: -3).clamped(width: 48, height: 32) == ImageRegion(x: 47, y: 0, width: 1, height: 1))
    }

    @Test("letterbox: the image resized keeping its aspect ratio, centred, padding filled")
    func letterbox() throws {
        var image = try testImage()
        image.fit = .letterbox(fill: 255)
        let transform = image.transform(toWidth: 64, height: 64)
        // 48 × 32 scaled by 4/3: 64 × 42.67 → 64 × 43, 10 rows above (21 pad rows in all).
        #expect(transform.content == ImageRegion(x: 0, y: 10, width: 64, height: 43))
        let values = rgb.normalizedValues(image, width: 64, height: 64, channels: 3)
        let content = rgb.normalizedValues(try testImage(), width: 64, height: 43, channels: 3)
        let rowValues = 64 * 3
        #expect(Array(values[(10 * rowValues)..<(53 * rowValues)]) == content)
        #expect(values[0..<(10 * rowValues)].allSatisfy { $0 == 1 })
        #expect(values[(53 * rowValues)...].allSatisfy { $0 == 1 })
    }

    @Test("the transform maps input points back to image points and forth")
    func transformRoundTrip() throws {
        var image = try testImage()
        image.crop = .region(ImageRegion(x: 4, y: 2, width: 40, height: 20))
        image.fit = .letterbox()
        let transform = image.transform(toWidth: 30, height: 30)
        for (x, y) in [(Float(0), Float(0)), (12.5, 7.25), (44, 22)] {
            let input = transform.inputPoint(imageX: x, imageY: y)
            let back = transform.imagePoint(inputX: input.x, inputY: input.y)
            #expect(abs(back.x - x) < 1e-4 && abs(back.y - y) < 1e-4)
        }
        // The content's corners are the region's corners.
        let content = transform.content
        let topLeft = transform.imagePoint(inputX: Float(content.x), inputY: Float(content.y))
        #expect(topLeft == (4, 2))
        let box = transform.imageBox(BoundingBox(x: Float(content.x), y: Float(content.y), width: Float(content.width), height: Float(content.height)))
        #expect(abs(box.x - 4) < 1e-4 && abs(box.y - 2) < 1e-4 && abs(box.width - 40) < 1e-4 && abs(box.height - 20) < 1e-4)
    }

    @Test("detection boxes map back through a letterbox")
    func detectionLetterbox() throws {
        var image = try testImage()
        image.fit = .letterbox()
        let transform = image.transform(toWidth: 64, height: 64)
        let decoder = DetectionDecoder(index: [1, 0, 3, 2], type: .boundaries, coordinateType: .ratio)
        // The whole content (rows 10..<53 of 64) as ratios, top, left, bottom, right.
        let detections = decoder.detections(locations: [10 / 64, 0, 53 / 64, 1], classes: [0], scores: [0.9], count: 1, transform: transform)
        let box = try #require(detections.first).boundingBox
        #expect(abs(box.x) < 1e-3 && abs(box.y) < 1e-3 && abs(box.width - 48) < 1e-3 && abs(box.height - 32) < 1e-3)
        // Stretched, the old call and the transform give the same boxes.
        let stretched = decoder.detections(locations: [0.1, 0.2, 0.5, 0.7], classes: [0], scores: [0.9], count: 1,
                                           imageWidth: 48, imageHeight: 32, inputWidth: 64, inputHeight: 64)
        let viaTransform = decoder.detections(locations: [0.1, 0.2, 0.5, 0.7], classes: [0], scores: [0.9], count: 1,
                                              transform: ImageTransform(imageWidth: 48, imageHeight: 32, inputWidth: 64, inputHeight: 64))
        #expect(stretched == viaTransform)
    }

    @Test("a class value that is not a finite integer gets no label instead of trapping")
    func hostileClass() {
        let decoder = DetectionDecoder()
        let detections = decoder.detections(locations: [0, 0, 1, 1, 0, 0, 1, 1], classes: [.nan, 1e30], scores: [0.9, 0.8], count: 2,
                                            transform: ImageTransform(identityWidth: 10, height: 10))
        #expect(detections.count == 2)
    }
}
