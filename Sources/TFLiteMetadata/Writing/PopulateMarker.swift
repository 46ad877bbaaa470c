/// The mark `populate` leaves in the unreferenced gap after the `TFL3` identifier of the prefix
/// it writes, so that populating the output again replaces that prefix instead of stacking a new
/// one on top of it.
///
/// Layout (24 bytes at offset 8): `"TFLMETA"`, format 1, the prefix length (u32), the CRC-32 of
/// the prefix with this CRC field zeroed (u32), 8 zero bytes. A prefix is only recognised when
/// all of it checks out, so a foreign file cannot be mistaken for one of ours.
enum PopulateMarker {
    static let position = 8
    static let size = 24
    static let magic: [UInt8] = Array("TFLMETA".utf8) + [1]
    /// Every prefix is `8 (mod 64)` bytes long, so the body that follows keeps its alignment
    /// (the original body starts at 8).
    static let prefixModulus = 64
    static let prefixRemainder = 8

    /// Fills in the marker of a finished prefix (its length is final).
    static func stamp(_ prefix: inout ByteWriter) {
        for (index, byte) in magic.enumerated() { prefix.set(byte, at: position + index) }
        prefix.set(UInt32(prefix.count), at: position + 8)
        prefix.set(UInt32(0), at: position + 12)
        let crc = prefix.bytes.withUnsafeBytes { CRC32.checksum($0) }
        prefix.set(crc, at: position + 12)
    }

    /// The length of the prefix a previous `populate` wrote at the start of `bytes`, or nil when
    /// the file does not start with one.
    static func prefixLength(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= position + size else { return nil }
        for (index, byte) in magic.enumerated() where bytes[position + index] != byte { return nil }
        guard let length32 = bytes.littleEndian(UInt32.self, at: position + 8),
              let recorded = bytes.littleEndian(UInt32.self, at: position + 12),
              let root = bytes.littleEndian(UInt32.self, at: 0) else { return nil }
        let length = Int(length32)
        guard length >= position + size, length <= bytes.count, length % prefixModulus == prefixRemainder,
              Int(root) < length else { return nil }
        var crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(position + 12)]))
        let zeros: [UInt8] = [0, 0, 0, 0]
        crc = zeros.withUnsafeBytes { [crc] in CRC32.checksum($0, seed: crc) }
        crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[(position + 16)..<length]), seed: crc)
        return crc == recorded ? length : nil
    }
}
