import CTFLiteKernels

/// A data movement described per output dimension: for each output coordinate along each
/// dimension, the element offset it contributes in the source (offsets add up across
/// dimensions), or -1 for "outside the source" (the fill value, for padding).
///
/// SLICE, STRIDED_SLICE, TRANSPOSE, TILE, PAD and MIRROR_PAD all compile to one of these at
/// prepare; `run` walks the output in row-major order, copying or filling whole runs at once
/// where the innermost dimensions read consecutive source elements (or none).
struct IndexMapCopy {
    /// Source element offsets per output dimension.
    private(set) var tables: [[Int]] = []
    /// Bytes per element.
    var width = 1
    /// The fill element's bytes (little-endian, `width` of them are used).
    var fill: UInt64 = 0
    /// The innermost rows as runs (see ``Run``): the last table's, and when that is one
    /// contiguous copy, the last two tables' together (and so on), so a PAD of H and W or of the
    /// channels copies whole runs instead of walking element by element.
    private var runs: [Run] = []
    /// The tables the odometer walks: those not folded into `runs`.
    private var outerRank = 0
    /// Elements per inner row (the sum of the runs' counts).
    private var innerCount = 0
    /// The last table itself when its runs are short (a TRANSPOSE's strided reads): element by
    /// element is then faster than run by run.
    private var gather: [Int]?
    /// For at most ``rowTableLimit`` inner rows of at least 8 bytes: each inner row's source
    /// offset in bytes (-1: outside, the fill row), the runs in bytes (count, source or -1), and
    /// one row of the fill value, so `tfl_copy_rows` assembles the rows in C.
    private var rowBases: [Int64] = []
    private var byteRuns: [Int64] = []
    private var fillRow: [UInt8] = []
    /// Inner rows up to which their offsets are tabulated (8 bytes each, at most the output's
    /// own size since rows are at least 8 bytes).
    static let rowTableLimit = 1 << 16

    /// `count` output elements copied from consecutive source elements starting at `source`
    /// (added to the outer dimensions' offset), or filled when `source` is negative.
    private struct Run: Equatable {
        var count: Int
        var source: Int
    }

    init() {}

    /// `tabulatesRows: false` keeps the Swift walk for every row shape (tests compare the two).
    init(tables: [[Int]], width: Int, fill: UInt64 = 0, tabulatesRows: Bool = true) {
        self.tables = tables
        self.width = width
        self.fill = fill
        guard let last = tables.last, !tables.contains(where: \.isEmpty) else { return }
        runs = Self.runs(of: last)
        innerCount = last.count
        outerRank = tables.count - 1
        // Fold the next table in while the inner row is one contiguous copy: each of its
        // entries then copies (or fills) the whole row.
        while outerRank > 0, runs.count == 1, let row = runs.first, row.source >= 0 {
            var folded: [Run] = []
            for offset in tables[outerRank - 1] {
                let run = Run(count: row.count, source: offset < 0 ? -1 : offset + row.source)
                if let previous = folded.last, Self.continues(previous, with: run) {
                    folded[folded.count - 1].count += run.count
                } else {
                    folded.append(run)
                }
            }
            runs = folded
            innerCount *= tables[outerRank - 1].count
            outerRank -= 1
        }
        if outerRank == tables.count - 1, runs.count * 4 > innerCount { gather = last }
        if gather == nil, tabulatesRows { tabulateRows() }
    }

    /// Fills `rowBases`, `byteRuns` and `fillRow` when the rows are few and long enough.
    private mutating func tabulateRows() {
        let rowBytes = innerCount * width
        guard outerRank > 0, rowBytes >= 8, (1...8).contains(width) else { return }
        var rows = 1
        for d in 0..<outerRank {
            rows *= tables[d].count
            if rows > Self.rowTableLimit { return }
        }
        var bases = [Int64](repeating: 0, count: rows)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: outerRank) { buffer in
            guard let counter = buffer.baseAddress else { return }
            counter.initialize(repeating: 0, count: outerRank)
            for row in 0..<rows {
                var base = 0
                for d in 0..<outerRank {
                    let offset = tables[d][counter[d]]
                    if offset < 0 { base = -1; break }
                    base += offset
                }
                bases[row] = base < 0 ? -1 : Int64(base * width)
                advance(counter)
            }
        }
        rowBases = bases
        byteRuns = runs.flatMap { [Int64($0.count * width), $0.source < 0 ? -1 : Int64($0.source * width)] }
        let pattern = withUnsafeBytes(of: fill.littleEndian) { Array($0.prefix(width)) }
        fillRow = (0..<rowBytes).map { pattern[$0 % width] }
    }

    /// Whether `next` extends `run`: both fills, or copies from adjacent source elements.
    private static func continues(_ run: Run, with next: Run) -> Bool {
        run.source < 0 ? next.source < 0 : next.source == run.source + run.count
    }

    /// The runs of one table: maximal stretches of fills or of consecutive offsets.
    private static func runs(of table: [Int]) -> [Run] {
        var runs: [Run] = []
        for offset in table {
            let run = Run(count: 1, source: offset < 0 ? -1 : offset)
            if let previous = runs.last, continues(previous, with: run) {
                runs[runs.count - 1].count += 1
            } else {
                runs.append(run)
            }
        }
        return runs
    }

    /// One axis's table, `entry(i)` for `i < count`, or nothing when the output is empty: an
    /// empty output still has its other dimensions, which a hostile model can make huge.
    static func table(_ count: Int, outputIsEmpty: Bool, _ entry: (Int) -> Int) -> [Int] {
        outputIsEmpty ? [] : (0..<count).map(entry)
    }

    /// The number of output elements.
    var outputCount: Int { tables.reduce(1) { $0 * $1.count } }

    /// The largest source offset read plus one (0 when nothing is read), for bounds checks.
    var sourceExtent: Int {
        if tables.contains(where: \.isEmpty) { return 0 }
        var total = 0
        for table in tables {
            guard let largest = table.max(), largest >= 0 else { return 0 }
            total += largest
        }
        return total + 1
    }

    /// Bytes of output below which a thread takes no share of a copy (handing work to the pool
    /// costs about as much as copying this much).
    static let bytesPerThread = 1 << 15

    /// The number of inner rows the odometer walks (the outer tables' sizes multiplied).
    private var outerRows: Int {
        var rows = 1
        for d in 0..<outerRank { rows *= tables[d].count }
        return rows
    }

    /// Copies from `source` into `destination` (which holds `outputCount` elements), split over
    /// `pool` by inner rows when the output is large enough (each element is copied as on one
    /// thread, so the result does not depend on the split).
    func run(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, pool: ThreadPool) {
        switch width {
        case 1: walk(source.assumingMemoryBound(to: UInt8.self), destination.assumingMemoryBound(to: UInt8.self), pool)
        case 2: walk(source.assumingMemoryBound(to: UInt16.self), destination.assumingMemoryBound(to: UInt16.self), pool)
        case 4: walk(source.assumingMemoryBound(to: UInt32.self), destination.assumingMemoryBound(to: UInt32.self), pool)
        default: walk(source.assumingMemoryBound(to: UInt64.self), destination.assumingMemoryBound(to: UInt64.self), pool)
        }
    }

    private func walk<T: FixedWidthInteger & UnsignedInteger>(_ source: UnsafePointer<T>, _ destination: UnsafeMutablePointer<T>,
                                                              _ pool: ThreadPool) {
        if tables.isEmpty {
            destination[0] = source[0]
            return
        }
        if tables.contains(where: \.isEmpty) { return }
        let rowBytes = max(1, innerCount * MemoryLayout<T>.stride)
        if !rowBases.isEmpty {
            let runCount = byteRuns.count / 2
            rowBases.withUnsafeBufferPointer { bases in
                byteRuns.withUnsafeBufferPointer { runs in
                    fillRow.withUnsafeBufferPointer { fill in
                        guard let bases = bases.baseAddress, let runs = runs.baseAddress, let fill = fill.baseAddress else { return }
                        let from = UnsafeRawPointer(source).assumingMemoryBound(to: UInt8.self)
                        let to = UnsafeMutableRawPointer(destination).assumingMemoryBound(to: UInt8.self)
                        pool.parallelFor(outerRows, minimumPerThread: max(1, Self.bytesPerThread / rowBytes)) { rows in
                            tfl_copy_rows(to + rows.lowerBound * rowBytes, from, bases + rows.lowerBound, rows.count, runs, runCount,
                                          rowBytes, fill)
                        }
                    }
                }
            }
            return
        }
        pool.parallelFor(outerRows, minimumPerThread: max(1, Self.bytesPerThread / rowBytes)) { rows in
            walk(rows: rows, source, destination)
        }
    }

    /// Writes the inner rows `rows` (in the odometer's order) of the output.
    private func walk<T: FixedWidthInteger & UnsignedInteger>(rows: Range<Int>, _ source: UnsafePointer<T>,
                                                              _ destination: UnsafeMutablePointer<T>) {
        let fillValue = T(truncatingIfNeeded: fill)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(outerRank, 1)) { buffer in
            guard let counter = buffer.baseAddress else { return }
            // The first row's coordinates, then stepped like an odometer.
            var rest = rows.lowerBound
            for d in stride(from: outerRank - 1, through: 0, by: -1) {
                counter[d] = rest % tables[d].count
                rest /= tables[d].count
            }
            var output = destination + rows.lowerBound * innerCount
            for _ in rows {
                var base = 0
                var inside = true
                for d in 0..<outerRank {
                    let offset = tables[d][counter[d]]
                    if offset < 0 { inside = false; break }
                    base += offset
                }
                if !inside {
                    output.update(repeating: fillValue, count: innerCount)
                } else if let gather {
                    gather.withUnsafeBufferPointer { offsets in
                        for j in 0..<innerCount {
                            let offset = offsets[j]
                            output[j] = offset < 0 ? fillValue : source[base + offset]
                        }
                    }
                } else {
                    var row = output
                    for run in runs {
                        if run.source < 0 {
                            row.update(repeating: fillValue, count: run.count)
                        } else {
                            row.update(from: source + base + run.source, count: run.count)
                        }
                        row += run.count
                    }
                }
                output += innerCount
                advance(counter)
            }
        }
    }

    /// Steps `counter` (the outer coordinates, `outerRank` of them) to the next inner row, like
    /// an odometer.
    @inline(__always)
    private func advance(_ counter: UnsafeMutablePointer<Int>) {
        var d = outerRank - 1
        while d >= 0 {
            counter[d] += 1
            if counter[d] < tables[d].count { break }
            counter[d] = 0
            d -= 1
        }
    }

    /// Row-major element strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in (0..<shape.count).reversed() {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }
}

/// A kernel that moves data with one ``IndexMapCopy`` from input 0 to output 0; subclasses
/// build the map (and set the output shape) in `plan`.
class IndexMapKernel: Kernel {
    let node: Node
    var map = IndexMapCopy()

    init(node: Node) {
        self.node = node
    }

    /// Builds the map for `input` and returns the output shape (subclasses override).
    func plan(_ input: RuntimeTensor, width: Int, _ tensors: TensorTable) throws(InterpreterError) -> (shape: [Int], map: IndexMapCopy) {
        throw node.failure("not implemented")
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let width = try ShapeOps.width(input.type, node)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        try ShapeOps.requireData(input, node, "the input")
        let (shape, map) = try plan(input, width: width, tensors)
        guard map.sourceExtent <= input.elementCount, try ShapeOps.count(shape, node) == map.outputCount else {
            throw node.failure("internal: the data movement does not fit its tensors")
        }
        tensors[outputIndex].shape = shape
        self.map = map
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard map.outputCount > 0, let source = input.data, let destination = output.data else { return }
        map.run(source, destination, pool: tensors.pool)
    }
}
