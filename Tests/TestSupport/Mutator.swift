import Foundation

/// A small deterministic random number generator (SplitMix64), so mutation tests see the same
/// mutants on every run and a failure names a reproducible mutant.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One damaged copy of a fixture.
public struct Mutant: Sendable, CustomStringConvertible {
    public let source: String
    public let index: Int
    public let kind: Mutator.Kind
    public let detail: String
    public let data: Data
    public var description: String { "\(source) mutant #\(index) (\(kind.rawValue): \(detail))" }
}

/// Damages files the way hostile or broken inputs are damaged: flipped bits, cut tails,
/// 4-byte words overwritten with offsets that point anywhere, a damaged zip tail (end of central
/// directory, central and local headers), inserted, deleted and duplicated bytes.
public enum Mutator {
    public enum Kind: String, CaseIterable, Sendable {
        case bitFlips, truncation, offsetOverwrite, zipTail, insertion, deletion, duplication
    }

    /// `count` mutants of `data`, the same for the same `seed`.
    public static func mutants(of data: Data, source: String, count: Int, seed: UInt64) -> [Mutant] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let kind = Kind.allCases[index % Kind.allCases.count]
            let (bytes, detail) = mutate(data, kind, using: &rng)
            return Mutant(source: source, index: index, kind: kind, detail: detail, data: bytes)
        }
    }

    /// Values that make good hostile offsets, sizes and counts.
    static func interesting(_ count: Int, using rng: inout SplitMix64) -> UInt32 {
        let values: [UInt32] = [0, 1, 4, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000,
                                0xFFFF_FFFF, 0xFFFF_FFFC, 0xFFFF_FF00, UInt32(truncatingIfNeeded: count),
                                UInt32(truncatingIfNeeded: count - 4), UInt32(truncatingIfNeeded: count + 4),
                                UInt32(truncatingIfNeeded: count / 2)]
        if rng.next() % 4 == 0 { return UInt32(truncatingIfNeeded: rng.next()) }
        return values[Int(rng.next() % UInt64(values.count))]
    }

    static func put32(_ value: UInt32, at position: Int, in bytes: inout [UInt8]) {
        for k in 0..<4 where position + k < bytes.count { bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    static func put16(_ value: UInt16, at position: Int, in bytes: inout [UInt8]) {
        for k in 0..<2 where position + k < bytes.count { bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    /// The last position of `signature` in `bytes`.
    static func lastIndex(of signature: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= signature.count else { return nil }
        var i = bytes.count - signature.count
        while i >= 0 {
            if bytes[i] == signature[0], Array(bytes[i..<(i + signature.count)]) == signature { return i }
            i -= 1
        }
        return nil
    }

    static func allIndices(of signature: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= signature.count else { return [] }
        return (0...(bytes.count - signature.count)).filter { i in
            bytes[i] == signature[0] && Array(bytes[i..<(i + signature.count)]) == signature
        }
    }

    public static func mutate(_ data: Data, _ kind: Kind, using rng: inout SplitMix64) -> (Data, String) {
        var bytes = [UInt8](data)
        let count = bytes.count
        func random(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(rng.next() % UInt64(bound)) }
        guard count > 8 else { return (Data(bytes), "too small to mutate") }
        switch kind {
        case .bitFlips:
            let flips = 1 + random(8)
            var positions: [Int] = []
            for _ in 0..<flips {
                let position = random(count)
                bytes[position] ^= UInt8(1) << UInt8(random(8))
                positions.append(position)
            }
            return (Data(bytes), "bits at \(positions)")
        case .truncation:
            let length = random(count)
            return (Data(bytes.prefix(length)), "cut to \(length) bytes")
        case .offsetOverwrite:
            let words = 1 + random(3)
            var what: [String] = []
            for _ in 0..<words {
                let position = random(2) == 0 ? random(count / 4) * 4 : random(count - 4)
                let value = interesting(count, using: &rng)
                put32(value, at: position, in: &bytes)
                what.append("\(position)=0x\(String(value, radix: 16))")
            }
            return (Data(bytes), "words \(what)")
        case .zipTail:
            guard let end = lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: bytes) else {
                // No archive: damage the last 64 bytes instead.
                let position = count - 1 - random(min(64, count))
                bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                return (Data(bytes), "no zip; byte \(position) of the tail")
            }
            let central = allIndices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes).filter { $0 < end }
            let local = allIndices(of: [0x50, 0x4B, 0x03, 0x04], in: bytes)
            switch random(6) {
            case 0: // end of central directory: entry counts
                let value = UInt16(truncatingIfNeeded: [0, 1, 2, 0xFFFF, 0x7FFF, random(0x10000)][random(6)])
                put16(value, at: end + [8, 10][random(2)], in: &bytes)
                return (Data(bytes), "EOCD entry count \(value)")
            case 1: // end of central directory: size and offset of the central directory
                let field = [12, 16][random(2)]
                let value = interesting(count, using: &rng)
                put32(value, at: end + field, in: &bytes)
                return (Data(bytes), "EOCD +\(field)=0x\(String(value, radix: 16))")
            case 2 where !central.isEmpty: // a central header: sizes, offsets, name length
                let header = central[random(central.count)]
                let field = [20, 24, 42][random(3)]
                let value = interesting(count, using: &rng)
                put32(value, at: header + field, in: &bytes)
                if random(2) == 0 { put16(UInt16(truncatingIfNeeded: rng.next()), at: header + 28, in: &bytes) }
                return (Data(bytes), "central header \(header) +\(field)=0x\(String(value, radix: 16))")
            case 3 where !local.isEmpty: // a local header: method, sizes, name and extra lengths
                let header = local[random(local.count)]
                let field = [8, 18, 22, 26, 28][random(5)]
                if field >= 26 || field == 8 {
                    put16(UInt16(truncatingIfNeeded: rng.next()), at: header + field, in: &bytes)
                } else {
                    put32(interesting(count, using: &rng), at: header + field, in: &bytes)
                }
                return (Data(bytes), "local header \(header) +\(field)")
            case 4: // cut inside the archive
                let start = local.first ?? max(0, end - 64)
                let length = start + random(count - start)
                return (Data(bytes.prefix(length)), "zip cut to \(length) bytes")
            default: // random bytes anywhere in the archive
                let start = local.first ?? max(0, end - 64)
                var positions: [Int] = []
                for _ in 0..<(1 + random(4)) {
                    let position = start + random(count - start)
                    bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                    positions.append(position)
                }
                return (Data(bytes), "zip bytes at \(positions)")
            }
        case .insertion:
            let position = random(count + 1)
            let length = 1 + random(16)
            let inserted = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            bytes.insert(contentsOf: inserted, at: position)
            return (Data(bytes), "\(length) bytes inserted at \(position)")
        case .deletion:
            let position = random(count)
            let length = 1 + random(min(64, count - position))
            bytes.removeSubrange(position..<min(count, position + length))
            return (Data(bytes), "\(length) bytes deleted at \(position)")
        case .duplication:
            let position = random(count)
            let length = 1 + random(min(256, count - position))
            let chunk = Array(bytes[position..<min(count, position + length)])
            let target = random(count)
            bytes.replaceSubrange(target..<min(count, target + chunk.count), with: chunk)
            return (Data(bytes), "\(chunk.count) bytes from \(position) copied to \(target)")
        }
    }
}
