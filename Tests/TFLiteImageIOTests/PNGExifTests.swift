import Foundation
import Testing
import TestSupport
import TFLiteImageIO
import TFLiteRuntime

/// The EXIF orientation of PNG files (the `eXIf` chunk). The reference cases, Pillow's
/// `exif_transpose` included, are in `DecodingTests` (Tests/Fixtures/images/cases.json, the
/// `png_exif*` files of scripts/make_image_fixtures.py); these are the limits and the hostile bytes.
@Suite struct PNGExifTests {
    @Test func everyOrientationIsReadAndTurnedUpright() throws {
        for value in UInt8(1)...8 {
            let image = try TensorImage(contentsOf: Fixtures.url("images/png_exif\(value).png"))
            #expect(image.orientation.rawValue == value)
            let turned = image.oriented()
            #expect(turned.orientation == .up)
            #expect(value >= 5 ? (turned.width == image.height && turned.height == image.width) : turned.width == image.width)
        }
    }

    @Test func anEXifChunkOverTheChunkLimitIsNeverRead() throws {
        let url = Fixtures.url("images/png_exif6.png")
        // libpng refuses a chunk over its limit; the orientation is never taken from one.
        do {
            let image = try TensorImage(contentsOf: url, limits: ImageDecodingLimits(maxChunkBytes: 16))
            #expect(image.orientation == .up)
        } catch {
            #expect(error.description.hasPrefix(url.path), "\(error)")
        }
        #expect(try TensorImage(contentsOf: url, limits: ImageDecodingLimits(maxChunkBytes: 64)).orientation.rawValue == 6)
    }

    @Test func mutatedEXifChunksDecodeOrFailTypedNeverCrash() throws {
        for name in ["png_exif6.png", "png_exif_big_endian.png", "png_exif_after_idat.png"] {
            let data = try Data(contentsOf: Fixtures.url("images/" + name))
            for mutant in Mutator.mutants(of: data, source: name, count: 300, seed: 26) {
                do {
                    let image = try TensorImage(data: mutant.data, source: mutant.description)
                    #expect((1...8).contains(image.orientation.rawValue))
                    #expect(image.oriented().pixels.count == image.pixels.count)
                } catch {
                    #expect(error.source == mutant.description)
                }
            }
        }
    }

    @Test func everyTruncationOfTheChunkIsHarmless() throws {
        // The eXIf chunk's data cut at every length, with a matching CRC (so the chunk is read).
        let data = try Data(contentsOf: Fixtures.url("images/png_exif_big_endian.png"))
        let bytes = [UInt8](data)
        let type = try #require(bytes.firstRange(of: Array("eXIf".utf8)))
        let start = type.lowerBound - 4
        let length = Int(bytes[start]) << 24 | Int(bytes[start + 1]) << 16 | Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
        let payload = Array(bytes[(start + 8)..<(start + 8 + length)])
        for cut in 0...payload.count {
            let kept = Array(payload.prefix(cut))
            var chunk = withUnsafeBytes(of: UInt32(cut).bigEndian, Array.init) + Array("eXIf".utf8) + kept
            chunk += withUnsafeBytes(of: Self.crc32(Array("eXIf".utf8) + kept).bigEndian, Array.init)
            let file = Array(bytes[..<start]) + chunk + Array(bytes[(start + 12 + length)...])
            let image = try TensorImage(data: Data(file), source: "cut \(cut)")
            // The orientation (8) is the second IFD entry: whole from 8 + 2 + 2 × 12 = 34 bytes on.
            #expect(image.orientation.rawValue == (cut >= 34 ? 8 : 1), "cut at \(cut)")
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
