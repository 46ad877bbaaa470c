import Testing
@testable import TFLiteRuntime

/// IndexMapCopy assembles rows in C (`tfl_copy_rows`) from tabulated row offsets and byte runs
/// when the rows are few and long enough; the Swift walk does the rest. Both give the same
/// bytes: PAD-, SLICE-, TILE-, REVERSE- and TRANSPOSE-like tables of every element width, on 1
/// and 3 threads, with outer rows entirely outside the source (fills) and rows of runs.
struct IndexMapCopyRowsTests {
    /// A table of `count` entries: offsets `stride · i` shifted by `shift`, -1 outside `0..<size`,
    /// reversed when asked.
    static func table(count: Int, size: Int, stride: Int, shift: Int, reversed: Bool) -> [Int] {
        (0..<count).map { o in
            let i = (reversed ? count - 1 - o : o) - shift
            return i >= 0 && i < size ? i * stride : -1
        }
    }

    @Test(arguments: [1, 2, 4, 8])
    func tabulatedRowsEqualTheWalk(_ width: Int) {
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<60 {
            let rank = 2 + trial % 3
            let sizes = (0..<rank).map { _ in Int.random(in: 1...9, using: &generator) }
            var strides = [Int](repeating: 1, count: rank)
            for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * sizes[d + 1] }
            let tables = (0..<rank).map { d in
                Self.table(count: sizes[d] + Int.random(in: 0...4, using: &generator), size: sizes[d], stride: strides[d],
                           shift: Int.random(in: -2...2, using: &generator), reversed: Int.random(in: 0..<4, using: &generator) == 0)
            }
            let fill = UInt64.random(in: 0 ... .max, using: &generator)
            let walked = IndexMapCopy(tables: tables, width: width, fill: fill, tabulatesRows: false)
            let tabulated = IndexMapCopy(tables: tables, width: width, fill: fill)
            let source = (0..<(sizes.reduce(1, *) * width)).map { _ in UInt8.random(in: 0 ... .max, using: &generator) }
            for threads in [1, 3] {
                let pool = ThreadPool(threadCount: threads)
                var expected = [UInt8](repeating: 0, count: walked.outputCount * width)
                var got = [UInt8](repeating: 0xA5, count: walked.outputCount * width + 8)
                source.withUnsafeBytes { from in
                    guard let from = from.baseAddress else { return }
                    expected.withUnsafeMutableBytes { if let to = $0.baseAddress { walked.run(from, to, pool: pool) } }
                    got.withUnsafeMutableBytes { if let to = $0.baseAddress { tabulated.run(from, to, pool: pool) } }
                }
                #expect(Array(got.prefix(expected.count)) == expected, "tables \(tables), width \(width), \(threads) threads")
                #expect(got.suffix(8).allSatisfy { $0 == 0xA5 }, "nothing written past the output")
            }
        }
    }
}
