import Foundation
import Testing
import TestSupport
import TFLiteImageIO
import TFLiteRuntime

/// `Tests/Fixtures/images/cases.json` (scripts/make_image_fixtures.py).
struct ImageCases: Decodable {
    struct Decoded: Decodable, CustomStringConvertible {
        var file: String
        var reference: String
        var channels: Int
        var tolerance: Int
        var orientation: UInt8
        var upright: String?
        var description: String { file }
    }
    struct Hostile: Decodable, CustomStringConvertible {
        var file: String
        var error: String
        var description: String { file }
    }
    var decoded: [Decoded]
    var hostile: [Hostile]

    static let all: ImageCases = {
        let url = Fixtures.url("images/cases.json")
        guard let data = try? Data(contentsOf: url), let cases = try? JSONDecoder().decode(ImageCases.self, from: data) else {
            return ImageCases(decoded: [], hostile: [])
        }
        return cases
    }()
}

/// Reference pixels: a uint8 `.npy` of height × width × channels.
func referencePixels(_ name: String) throws -> (width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    let array = try NumPyArray(contentsOf: Fixtures.url("images/" + name).path)
    #expect(array.shape.count == 3)
    return (array.shape[1], array.shape[0], array.shape[2], [UInt8](array.data))
}

/// The largest difference between two byte arrays of one size.
func largestDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
    zip(a, b).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
}

@Suite("TFLiteImageIO decoding against Pillow/NumPy reference pixels")
struct DecodingTests {
    @Test("the fixtures are there")
    func fixturesPresent() {
        #expect(ImageCases.all.decoded.count >= 20)
        #expect(ImageCases.all.hostile.count >= 10)
    }

    @Test("decodes each file to the reference pixels", arguments: ImageCases.all.decoded)
    func decodes(_ testCase: ImageCases.Decoded) throws {
        let image = try TensorImage(contentsOf: Fixtures.url("images/" + testCase.file))
        let reference = try referencePixels(testCase.reference)
        #expect(image.width == reference.width && image.height == reference.height)
        let expected: TensorImage.PixelFormat = switch reference.channels { case 1: .gray; case 4: .rgba; default: .rgb }
        #expect(image.format == expected)
        #expect(image.pixels.count == reference.pixels.count)
        let difference = largestDifference(image.pixels, reference.pixels)
        #expect(difference <= testCase.tolerance, "largest difference \(difference)")
        #expect(image.orientation.rawValue == testCase.orientation)
        if let upright = testCase.upright {
            let turned = image.oriented()
            let uprightReference = try referencePixels(upright)
            #expect(turned.width == uprightReference.width && turned.height == uprightReference.height)
            #expect(turned.orientation == .up)
            #expect(largestDifference(turned.pixels, uprightReference.pixels) <= testCase.tolerance)
        }
    }

    @Test("decodes the same from Data as from the file", arguments: ImageCases.all.decoded.prefix(4))
    func decodesData(_ testCase: ImageCases.Decoded) throws {
        let url = Fixtures.url("images/" + testCase.file)
        let fromData = try TensorImage(data: Data(contentsOf: url))
        #expect(fromData == (try TensorImage(contentsOf: url)))
    }

    @Test("a hostile file gives its typed error naming the file", arguments: ImageCases.all.hostile)
    func hostile(_ testCase: ImageCases.Hostile) throws {
        let url = Fixtures.url("images/" + testCase.file)
        do {
            let image = try TensorImage(contentsOf: url)
            Issue.record("decoded \(image.width) × \(image.height) from \(testCase.file)")
        } catch {
            #expect(error.description.hasPrefix(url.path), "\(error)")
            switch (error.reason, testCase.error) {
            case (.corrupt, "corrupt"), (.tooLarge, "tooLarge"), (.unknownFormat, "unknownFormat"): break
            default: Issue.record("\(testCase.file): expected \(testCase.error), got \(error)")
            }
        }
    }

    @Test("limits below the image's size refuse it before decoding")
    func limits() throws {
        let url = Fixtures.url("images/rgb8.png")
        #expect(throws: ImageDecodingError.self) { try TensorImage(contentsOf: url, limits: ImageDecodingLimits(maxWidth: 36)) }
        #expect(throws: ImageDecodingError.self) { try TensorImage(contentsOf: url, limits: ImageDecodingLimits(maxPixels: 37 * 23 - 1)) }
        #expect(throws: ImageDecodingError.self) { try TensorImage(contentsOf: url, limits: ImageDecodingLimits(maxFileBytes: 100)) }
        let jpeg = Fixtures.url("images/baseline.jpg")
        #expect(throws: ImageDecodingError.self) { try TensorImage(contentsOf: jpeg, limits: ImageDecodingLimits(maxHeight: 31)) }
        #expect(try TensorImage(contentsOf: url, limits: ImageDecodingLimits(maxWidth: 37, maxHeight: 23, maxPixels: 37 * 23)).width == 37)
    }

    @Test("a missing file, a directory: unreadable, naming the path")
    func unreadable() {
        for path in ["/nonexistent/image.png", Fixtures.url("images").path] {
            do {
                _ = try TensorImage(contentsOf: URL(fileURLWithPath: path))
                Issue.record("read \(path)")
            } catch {
                guard case .unreadable = error.reason else { Issue.record("\(error)"); continue }
                #expect(error.description.hasPrefix(path))
            }
        }
    }

    @Test("mutated PNG and JPEG files decode or fail with a typed error, never crash")
    func mutants() throws {
        for name in ["rgb8.png", "rgb8_interlaced.png", "palette_trns.png", "progressive.jpg", "exif6.jpg", "cmyk.jpg", "png_exif6.png"] {
            let data = try Data(contentsOf: Fixtures.url("images/" + name))
            for mutant in Mutator.mutants(of: data, source: name, count: 150, seed: 25) {
                do {
                    let image = try TensorImage(data: mutant.data, source: mutant.description)
                    #expect(image.pixels.count == image.width * image.height * image.format.bytesPerPixel)
                } catch {
                    #expect(error.source == mutant.description)
                }
            }
        }
    }
}

@Suite("TFLiteImageIO JPEG decoding agreement")
struct JPEGAgreementTests {
    @Test("libjpeg-turbo and Pillow agree on every JPEG fixture (figures printed)")
    func agreement() throws {
        var worst = 0
        for testCase in ImageCases.all.decoded where testCase.file.hasSuffix(".jpg") {
            let image = try TensorImage(contentsOf: Fixtures.url("images/" + testCase.file))
            let reference = try referencePixels(testCase.reference)
            let difference = largestDifference(image.pixels, reference.pixels)
            let differing = zip(image.pixels, reference.pixels).filter { $0 != $1 }.count
            print("\(testCase.file): largest difference \(difference), \(differing) of \(image.pixels.count) samples differ")
            worst = max(worst, difference)
        }
        #expect(worst <= 1)
    }
}
