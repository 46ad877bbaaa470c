import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// Issue #8: a packed-files zip that claims huge or impossible entries is refused with an error
/// (before anything is allocated), by the library and by `tflmeta files` / `extract`.
@Suite struct ResourceLimitZipTests {
    static let fixture = Fixtures.url("metadata/nl_classifier/model.tflite")

    static func indices(of signature: [UInt8], in bytes: [UInt8]) -> [Int] {
        (0...(bytes.count - signature.count)).filter { Array(bytes[$0..<($0 + signature.count)]) == signature }
    }

    static func patched(_ edit: (inout [UInt8]) -> Void) throws -> Data {
        var bytes = [UInt8](try Data(contentsOf: fixture))
        edit(&bytes)
        return Data(bytes)
    }

    static func put32(_ value: UInt32, _ position: Int, _ bytes: inout [UInt8]) {
        for k in 0..<4 { bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    static func put16(_ value: UInt16, _ position: Int, _ bytes: inout [UInt8]) {
        for k in 0..<2 { bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    static func refused(_ data: Data) -> ModelError? {
        do {
            let file = try ModelFile(model: Model(data: data, source: "hostile.tflite"))
            for entry in file.associatedFiles.entries { _ = try file.associatedFiles.data(of: entry.name) }
            return nil
        } catch {
            return error
        }
    }

    @Test func theFixtureHasAZip() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture))
        #expect(!Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes).isEmpty)
        #expect(Self.refused(Data(bytes)) == nil)
    }

    @Test func entryClaimingFourGigabytesIsRefused() throws {
        for size: UInt32 in [0xFFFF_FFF0, 0x7FFF_FFFF, 0xFFFF_FFFF] {
            let data = try Self.patched { bytes in
                for header in Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes) {
                    Self.put32(size, header + 20, &bytes)
                    Self.put32(size, header + 24, &bytes)
                }
                for header in Self.indices(of: [0x50, 0x4B, 0x03, 0x04], in: bytes) {
                    Self.put32(size, header + 18, &bytes)
                    Self.put32(size, header + 22, &bytes)
                }
            }
            let error = try #require(Self.refused(data), "an entry of 0x\(String(size, radix: 16)) bytes was accepted")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func localAndCentralSizesDisagreeing() throws {
        let data = try Self.patched { bytes in
            for header in Self.indices(of: [0x50, 0x4B, 0x03, 0x04], in: bytes) {
                Self.put32(0xFFFF_0000, header + 18, &bytes)
                Self.put32(0xFFFF_0000, header + 22, &bytes)
            }
        }
        _ = Self.refused(data)  // refused or read in range; never a crash
    }

    @Test func directoryClaimingTensOfThousandsOfEntriesIsRefused() throws {
        let data = try Self.patched { bytes in
            let end = Self.indices(of: [0x50, 0x4B, 0x05, 0x06], in: bytes).last!
            Self.put16(0xFFFF, end + 8, &bytes)
            Self.put16(0xFFFF, end + 10, &bytes)
        }
        #expect(Self.refused(data) != nil)
    }

    @Test func centralDirectoryClaimingGigabytesIsRefused() throws {
        for (field, value) in [(12, UInt32(0xFFFF_FF00)), (16, UInt32(0xFFFF_FF00)), (12, UInt32(0x7FFF_FFFF))] {
            let data = try Self.patched { bytes in
                let end = Self.indices(of: [0x50, 0x4B, 0x05, 0x06], in: bytes).last!
                Self.put32(value, end + field, &bytes)
            }
            #expect(Self.refused(data) != nil, "EOCD +\(field) = 0x\(String(value, radix: 16)) accepted")
        }
    }

    @Test func zip64RecordClaimingExabytes() throws {
        // The end-of-central-directory fields set to 0xFFFF… mean "see the ZIP64 record"; with a
        // hostile ZIP64 locator pointing anywhere the archive must still be refused.
        let data = try Self.patched { bytes in
            let end = Self.indices(of: [0x50, 0x4B, 0x05, 0x06], in: bytes).last!
            Self.put16(0xFFFF, end + 8, &bytes)
            Self.put16(0xFFFF, end + 10, &bytes)
            Self.put32(0xFFFF_FFFF, end + 12, &bytes)
            Self.put32(0xFFFF_FFFF, end + 16, &bytes)
            // A ZIP64 end-of-central-directory locator just before, pointing past the end.
            if end >= 20 {
                Self.put32(0x0706_4B50, end - 20, &bytes)
                Self.put32(0, end - 16, &bytes)
                Self.put32(0xFFFF_FFF0, end - 12, &bytes)
                Self.put32(0x7FFF_FFFF, end - 8, &bytes)
                Self.put32(1, end - 4, &bytes)
            }
        }
        #expect(Self.refused(data) != nil)
    }

    @Test func toolsRefuseAHugeEntry() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try Self.patched { bytes in
            for header in Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: bytes) {
                Self.put32(0xFFFF_FFF0, header + 20, &bytes)
                Self.put32(0xFFFF_FFF0, header + 24, &bytes)
            }
        }
        let path = directory.appending(path: "huge-entry.tflite").path
        try data.write(to: URL(fileURLWithPath: path))
        for arguments in [["files", path], ["extract", path, "-o", directory.appending(path: "out").path], ["show", path]] {
            let result = try CommandRunner.run("tflmeta", arguments, timeout: 60)
            #expect(!result.signaled)
            #expect(result.status == 1, "tflmeta \(arguments[0]) exited \(result.status)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        let extracted = (try? FileManager.default.contentsOfDirectory(atPath: directory.appending(path: "out").path)) ?? []
        #expect(extracted.isEmpty, "extract wrote \(extracted)")
    }
}
