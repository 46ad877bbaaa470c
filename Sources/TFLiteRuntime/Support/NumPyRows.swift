#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `.npy` file's elements are: dtype, shape, and the byte offset of the data after the
/// header. Parsed from the file's first bytes only, so a reader can stream the data.
struct NumPyLayout {
    var type: TensorType
    var shape: [Int]
    /// Bytes before the first element (magic, version, header length, header).
    var payloadOffset: Int
    /// The data's byte count (elements × width), overflow-checked.
    var payloadByteCount: Int

    /// The most bytes a header can occupy with its preamble: what a streaming reader reads first.
    static let maxPrefixLength = 12 + NumPyHeader.maxLength

    /// `shape (2, 3) of float32`, for messages.
    var shapeDescription: String { "shape (\(shape.map(String.init).joined(separator: ", "))) of \(type)" }

    /// Parses the header at the start of `bytes` (the data need not follow).
    init(prefix bytes: Data, source: String) throws(NumPyArray.FormatError) {
        func fail(_ reason: String) -> NumPyArray.FormatError { NumPyArray.FormatError(description: "\(source): \(reason)") }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes.prefix(6)) == magic else { throw fail("not a NumPy .npy file") }
        let start = bytes.startIndex
        let major = bytes[start + 6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[start + 8]) | Int(bytes[start + 9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated header") }
            headerLength = Int(bytes[start + 8]) | Int(bytes[start + 9]) << 8 | Int(bytes[start + 10]) << 16 | Int(bytes[start + 11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported .npy version \(major)")
        }
        guard headerLength <= bytes.count - headerStart else { throw fail("truncated header") }
        guard headerLength <= NumPyHeader.maxLength else {
            throw fail("header is \(headerLength) bytes, over NumPy's limit of \(NumPyHeader.maxLength)")
        }
        let headerBytes = [UInt8](bytes[(start + headerStart)..<(start + headerStart + headerLength)])
        let header: NumPyHeader
        do { header = try NumPyHeader(headerBytes) } catch { throw fail(error.reason) }
        let descr = header.descr
        guard let type = NumPyArray.descriptors.first(where: { $0.0 == descr || ($0.0.hasPrefix("|") && "<" + $0.0.dropFirst() == descr) })?.1 else {
            throw fail("unsupported dtype \(DisplayText.quoted("'\(descr)'")) (supported: \(NumPyArray.descriptors.map(\.0).joined(separator: ", ")))")
        }
        // Fortran order is C order when at most one dimension is longer than 1.
        if header.fortranOrder, header.shape.filter({ $0 > 1 }).count > 1 {
            throw fail("Fortran-order arrays are not supported")
        }
        let shapeText = header.shape.map(String.init).joined(separator: ", ")
        var count = 1
        for dimension in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail("shape (\(shapeText)) overflows") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: type.byteWidth ?? 1)
        guard !overflow else { throw fail("shape (\(shapeText)) overflows") }
        self.type = type
        self.shape = header.shape
        self.payloadOffset = headerStart + headerLength
        self.payloadByteCount = byteCount
    }
}

/// A `.npy` file read one row (slice along axis 0) at a time, without loading the whole array:
/// calibration samples, one per row. The header and the file size are checked when opened; each
/// row is read from the file when asked for.
package final class NumPyRows {
    /// The element type.
    package let type: TensorType
    /// The whole array's shape (rows along the first dimension).
    package let shape: [Int]
    /// The number of rows (`shape[0]`).
    package let rowCount: Int
    /// The shape of one row (`shape` without its first dimension).
    package var rowShape: [Int] { Array(shape.dropFirst()) }
    /// The bytes of one row.
    package let rowByteCount: Int
    /// The file as errors name it.
    package let source: String

    private let fd: Int32
    private let payloadOffset: Int

    /// Opens `path` (a regular file, through `RegularFile`), reads and checks its header, and
    /// checks the file holds exactly the data the header's shape needs. `role` names the
    /// argument in errors (`--calibration`). A 0-dimensional array is refused: it has no rows.
    package init(contentsOf path: String, role: String? = nil) throws(NumPyArray.FormatError) {
        let source = role.map { "\(path): \($0)" } ?? path
        let file: RegularFile.Opened
        do { file = try RegularFile.open(path, role: role) } catch { throw NumPyArray.FormatError(description: error.description) }
        var prefix = [UInt8](repeating: 0, count: min(file.size, NumPyLayout.maxPrefixLength))
        let got = Self.read(fd: file.fd, into: &prefix, at: 0)
        let layout: NumPyLayout
        let rowCount: Int
        do throws(NumPyArray.FormatError) {
            guard got == prefix.count else { throw NumPyArray.FormatError(description: "\(source): cannot read the header") }
            layout = try NumPyLayout(prefix: Data(prefix), source: source)
            guard file.size - layout.payloadOffset == layout.payloadByteCount else {
                throw NumPyArray.FormatError(description: "\(source): data holds \(file.size - layout.payloadOffset) bytes, \(layout.shapeDescription) needs \(layout.payloadByteCount)")
            }
            guard let rows = layout.shape.first else {
                throw NumPyArray.FormatError(description: "\(source): a 0-dimensional array has no rows (samples go along axis 0)")
            }
            rowCount = rows
        } catch {
            close(file.fd)
            throw error
        }
        self.type = layout.type
        self.shape = layout.shape
        self.rowCount = rowCount
        self.rowByteCount = rowCount == 0 ? 0 : layout.payloadByteCount / rowCount
        self.source = source
        self.fd = file.fd
        self.payloadOffset = layout.payloadOffset
    }

    deinit { close(fd) }

    /// Row `index` as an array of shape `rowShape`.
    package func row(_ index: Int) throws(NumPyArray.FormatError) -> NumPyArray {
        NumPyArray(type: type, shape: rowShape, data: try rowData(index))
    }

    /// The little-endian bytes of row `index`.
    package func rowData(_ index: Int) throws(NumPyArray.FormatError) -> Data {
        guard (0..<rowCount).contains(index) else {
            throw NumPyArray.FormatError(description: "\(source): row \(index) is out of range (\(rowCount) rows)")
        }
        var bytes = [UInt8](repeating: 0, count: rowByteCount)
        let got = Self.read(fd: fd, into: &bytes, at: payloadOffset + index * rowByteCount)
        guard got == rowByteCount else {
            throw NumPyArray.FormatError(description: "\(source): row \(index) could not be read (the file changed while reading?)")
        }
        return Data(bytes)
    }

    /// Reads up to `bytes.count` bytes at `offset`; returns how many were read (-1 on error).
    private static func read(fd: Int32, into bytes: inout [UInt8], at offset: Int) -> Int {
        var done = 0
        while done < bytes.count {
            let got = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(fd, base + done, raw.count - done, off_t(offset + done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if got == 0 { break }
            done += got
        }
        return done
    }
}
