import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// `NumPyArray`: `.npy` files as NumPy writes them, round trips, and malformed headers rejected
/// with a message naming the source.
@Suite struct NumPyArrayTests {
    static func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }

    @Test(arguments: [
        NumPyArray(type: .float32, shape: [2, 3], data: bytes([Float](arrayLiteral: 1, -2, 3.5, 0, 1e-8, 7))),
        NumPyArray(type: .int8, shape: [4], data: bytes([Int8](arrayLiteral: -128, -1, 0, 127))),
        NumPyArray(type: .uint8, shape: [1, 1, 2], data: bytes([UInt8](arrayLiteral: 0, 255))),
        NumPyArray(type: .int16, shape: [2, 1], data: bytes([Int16](arrayLiteral: -32768, 32767))),
        NumPyArray(type: .int32, shape: [], data: bytes([Int32](arrayLiteral: 42))),
        NumPyArray(type: .int64, shape: [0, 3], data: Data()),
        NumPyArray(type: .bool, shape: [3], data: Data([1, 0, 1])),
    ])
    func roundTrips(_ array: NumPyArray) throws {
        let encoded = try array.npyData()
        #expect(encoded.count % 64 == array.data.count % 64, "header is padded to 64 bytes")
        let decoded = try NumPyArray(npy: encoded)
        #expect(decoded == array)
    }

    @Test func readsConformanceFilesWrittenByNumPy() throws {
        let url = Fixtures.url("conformance/add_bcast4d_int8/input_0.npy")
        let array = try NumPyArray(contentsOf: url.path)
        #expect(array.type == .int8)
        #expect(array.shape == [2, 1, 5, 1])
        #expect(array.data.count == 10)
        // Re-encoding what NumPy wrote gives the same bytes (same header layout).
        #expect(try array.npyData() == Data(contentsOf: url))
    }

    static func header(_ dictionary: String, payload: Data = Data(), major: UInt8 = 1) -> Data {
        var text = dictionary
        text += String(repeating: " ", count: (64 - (10 + text.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0, UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)])
        data.append(Data(text.utf8))
        data.append(payload)
        return data
    }

    @Test(arguments: [
        ("not npy", Data("hello world".utf8), "not a NumPy .npy file"),
        ("too short", Data([0x93, 0x4E]), "not a NumPy .npy file"),
        ("version", header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", payload: Data(count: 4), major: 9), "unsupported .npy version 9"),
        ("dtype", header("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", payload: Data(count: 8)), "unsupported dtype"),
        ("fortran", header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload: Data(count: 16)), "Fortran-order"),
        ("no shape", header("{'descr': '<f4', 'fortran_order': False, }", payload: Data(count: 4)), "does not contain the correct keys"),
        ("negative", header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), "bad shape"),
        ("short data", header("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", payload: Data(count: 8)), "needs 12"),
        ("long data", header("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", payload: Data(count: 3)), "needs 2"),
        ("overflow", header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"), "overflows"),
        ("header past end", Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0xFF, 0x7F, 0x7B]), "truncated header"),
    ])
    func rejectsBadFiles(_ name: String, _ data: Data, _ message: String) {
        #expect {
            _ = try NumPyArray(npy: data, source: "bad.npy")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("bad.npy: ") && text.contains(message) && !text.contains("\n")
        }
    }

    @Test func missingFileNamesThePath() {
        #expect {
            _ = try NumPyArray(contentsOf: "/nonexistent/dir/x.npy")
        } throws: { error in
            "\(error)".contains("/nonexistent/dir/x.npy")
        }
    }
}

/// Issue #20: `.npy` headers are read by NumPy's rules (`numpy/lib/format.py`,
/// `_read_array_header`): a Python dict literal with exactly the keys `descr`, `fortran_order`,
/// `shape` (a duplicated key keeps its last value), `fortran_order` a bool, `shape` a tuple of
/// ints, `descr` a string. Each case's verdict is NumPy 2.4.6's (`np.load` of the same bytes).
extension NumPyArrayTests {
    @Test(arguments: [
        // (header, shape it describes when accepted, NumPy accepts, what our refusal says)
        ("{'descr': '<f4', 'fortran_order': True, 'fortran_order': False, 'shape': (2, 2), }", 4, true, ""),
        ("{'descr': '<f4', 'fortran_order': False, 'fortran_order': True, 'shape': (2, 2), }", 4, true, "Fortran-order"),
        ("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3), }", 3, true, ""),
        ("{'descr': '<f4', 'fortran_order': 1, 'shape': (2,), }", 2, false, "fortran_order is not a valid bool: 1"),
        ("{'descr': '<f4', 'fortran_order': None, 'shape': (2,), }", 2, false, "fortran_order is not a valid bool: None"),
        ("{'descr': <f4, 'fortran_order': False, 'shape': (2,), }", 2, false, "cannot parse header"),
        ("{'descr': 4, 'fortran_order': False, 'shape': (2,), }", 2, false, "descr is not a valid dtype descriptor: 4"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", 2, false, "correct keys: ['descr', 'extra', 'fortran_order', 'shape']"),
        ("{'descr': '<f4', 'shape': (2,)}", 2, false, "correct keys: ['descr', 'shape']"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), 1: 2}", 2, false, "correct keys"),
        ("['descr', 'fortran_order', 'shape']", 2, false, "not a dictionary"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", 2, false, "shape is not valid: [2]"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}", 2, false, "shape is not valid"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", 2, false, "shape is not valid: 2"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': ((2,),), }", 2, false, "shape is not valid"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (True,), }", 1, false, "shape is not valid"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (02,), }", 2, false, "cannot parse header"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,),, }", 2, false, "cannot parse header"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) 'x'}", 2, false, "cannot parse header"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", 2, false, "cannot parse header"),
        ("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": ( 2 , ) }", 2, true, ""),
        ("{'descr':'<f4','fortran_order':False,'shape':(2,)}", 2, true, ""),
        ("{'descr': '<f4',\n 'fortran_order': False, 'shape': (0x2,), }", 2, true, ""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1_0,), }", 10, true, ""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (+2,), }", 2, true, ""),
        ("{'descr': u'<f4', 'fortran_order': False, 'shape': (2,), }", 2, true, ""),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 1, true, ""),
    ])
    func headersFollowNumPysRules(_ dictionary: String, _ count: Int, _ numpyAccepts: Bool, _ refusal: String) {
        let data = Self.header(dictionary, payload: Data(count: 4 * count))
        let fortranUnsupported = refusal == "Fortran-order"
        do {
            _ = try NumPyArray(npy: data, source: "h.npy")
            #expect(numpyAccepts && !fortranUnsupported, "accepted \(dictionary)")
        } catch {
            // NumPy accepts a 2-D Fortran-order array; we refuse it as unsupported, not as malformed.
            #expect(!numpyAccepts || fortranUnsupported, "refused \(dictionary): \(error)")
            #expect(error.description.hasPrefix("h.npy: ") && error.description.contains(refusal) && !error.description.contains("\n"),
                    "\(error)")
        }
    }

    @Test func deeplyNestedOrHugeHeadersAreRefusedQuickly() {
        let nested = Self.header("{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 5000) + "}")
        #expect(throws: NumPyArray.FormatError.self) { try NumPyArray(npy: nested) }
        var huge = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0x00, 0x00, 0x10, 0x00])  // 1 MiB header
        huge.append(Data(repeating: 0x20, count: 1 << 20))
        #expect { try NumPyArray(npy: huge, source: "h.npy") } throws: { "\($0)".contains("over NumPy's limit of 10000") }
    }
}
