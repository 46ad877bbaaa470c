import TFLiteModel
import TFLiteRuntime

/// The EXIF `Orientation` tag (0x0112) of a JPEG file's APP1 `Exif` segment or of a PNG file's
/// `eXIf` chunk, read with every offset checked against the bytes (a hostile file gives nil,
/// never a crash).
enum ExifOrientation {
    /// The orientation in `jpeg`, or nil when there is none (or it is not 1…8).
    static func read(jpeg bytes: UnsafeRawBufferPointer) -> ImageOrientation? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var position = 2
        while position + 4 <= bytes.count {
            guard bytes[position] == 0xFF else { return nil }
            let marker = bytes[position + 1]
            if marker == 0xFF { position += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { position += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { return nil }  // image data: the APPn segments are before it
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            let start = position + 4, end = position + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            if marker == 0xE1, let orientation = fromExifSegment(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
                return orientation
            }
            position = end
        }
        return nil
    }

    /// The orientation in `png`'s `eXIf` chunk (a TIFF header and IFD0), or nil when there is none.
    ///
    /// As Pillow reads it: every chunk up to `IEND` is looked at, before or after the image data,
    /// of several `eXIf` chunks the last one counts, and a leading `Exif\0\0` is skipped. As libpng treats a broken ancillary
    /// chunk: one whose CRC does not match, or longer than `maxChunkBytes`, is skipped; a chunk
    /// running past the end of the file stops the scan (the decoder reports the file truncated).
    static func read(png bytes: UnsafeRawBufferPointer, maxChunkBytes: Int) -> ImageOrientation? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 8, zip(bytes.prefix(8), signature).allSatisfy({ $0 == $1 }) else { return nil }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        let eXIf: [UInt8] = [0x65, 0x58, 0x49, 0x66], iend: [UInt8] = [0x49, 0x45, 0x4E, 0x44]
        var exif: Range<Int>?
        var position = 8
        while position + 12 <= bytes.count {
            let length = u32(position), start = position + 8
            guard length <= Int(Int32.max), length <= bytes.count - 12 - position else { break }
            let type = bytes[(position + 4)..<start]
            if type.elementsEqual(iend) { break }
            if type.elementsEqual(eXIf), length <= maxChunkBytes,
               CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[(position + 4)..<(start + length)])) == UInt32(u32(start + length)) {
                exif = start..<(start + length)
            }
            position = start + length + 4
        }
        guard let exif else { return nil }
        // Some writers keep the JPEG segment's `Exif\0\0` before the TIFF header; Pillow skips it.
        return fromExifSegment(UnsafeRawBufferPointer(rebasing: bytes[exif])) ?? fromTIFF(UnsafeRawBufferPointer(rebasing: bytes[exif]))
    }

    /// The orientation in an APP1 segment's data (`Exif\0\0` then a TIFF header and IFD0).
    static func fromExifSegment(_ segment: UnsafeRawBufferPointer) -> ImageOrientation? {
        let exif: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
        guard segment.count >= 6 + 8, zip(segment.prefix(6), exif).allSatisfy({ $0 == $1 }) else { return nil }
        return fromTIFF(UnsafeRawBufferPointer(rebasing: segment[6...]))
    }

    /// The orientation in EXIF data: a TIFF header (`II` or `MM`, 42, the offset of IFD0) and IFD0.
    static func fromTIFF(_ tiff: UnsafeRawBufferPointer) -> ImageOrientation? {
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return littleEndian ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return littleEndian ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<count {
            // Whole 12-byte entries only, as Pillow reads them.
            let at = ifd + 2 + entry * 12
            guard at + 12 <= tiff.count, let tag = u16(at), let type = u16(at + 2), let values = u32(at + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT (3), one value, stored in the entry's first two value bytes.
            guard type == 3, values == 1, let value = u16(at + 8), value >= 1, value <= 8 else { return nil }
            return ImageOrientation(rawValue: UInt8(value))
        }
        return nil
    }
}
