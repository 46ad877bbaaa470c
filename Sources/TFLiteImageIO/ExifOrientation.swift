import TFLiteRuntime

/// The EXIF `Orientation` tag (0x0112) of a JPEG file's APP1 `Exif` segment, read with every
/// offset checked against the bytes (a hostile file gives nil, never a crash).
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

    /// The orientation in an APP1 segment's data (`Exif\0\0` then a TIFF header and IFD0).
    static func fromExifSegment(_ segment: UnsafeRawBufferPointer) -> ImageOrientation? {
        let exif: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
        guard segment.count >= 6 + 8, zip(segment.prefix(6), exif).allSatisfy({ $0 == $1 }) else { return nil }
        let tiff = UnsafeRawBufferPointer(rebasing: segment[6...])
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
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at), let type = u16(at + 2), let values = u32(at + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT (3), one value, stored in the entry's first two value bytes.
            guard type == 3, values == 1, let value = u16(at + 8), value >= 1, value <= 8 else { return nil }
            return ImageOrientation(rawValue: UInt8(value))
        }
        return nil
    }
}
