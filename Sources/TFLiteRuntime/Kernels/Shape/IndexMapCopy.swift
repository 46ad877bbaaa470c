/// A data movement described per output dimension: for each output coordinate along each
/// dimension, the element offset it contributes in the source (offsets add up across
/// dimensions), or -1 for "outside the source" (the fill value, for padding).
///
/// SLICE, STRIDED_SLICE, TRANSPOSE, TILE, PAD and MIRROR_PAD all compile to one of these at
/// prepare; `run` walks the output in row-major order, copying whole rows at once when the
/// innermost dimension reads consecutive source elements.
struct IndexMapCopy {
    /// Source element offsets per output dimension.
    var tables: [[Int]] = []
    /// Bytes per element.
    var width = 1
    /// The fill element's bytes (little-endian, `width` of them are used).
    var fill: UInt64 = 0
    private var innerContiguous = false
    private var counter: [Int] = []

    init() {}

    init(tables: [[Int]], width: Int, fill: UInt64 = 0) {
        self.tables = tables
        self.width = width
        self.fill = fill
        if let last = tables.last, let first = last.first, first >= 0 {
            innerContiguous = last.enumerated().allSatisfy { $0.element == first + $0.offset }
        }
        counter = [Int](repeating: 0, count: max(tables.count, 1))
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

    /// Copies from `source` into `destination` (which holds `outputCount` elements).
    mutating func run(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer) {
        switch width {
        case 1: walk(source.assumingMemoryBound(to: UInt8.self), destination.assumingMemoryBound(to: UInt8.self))
        case 2: walk(source.assumingMemoryBound(to: UInt16.self), destination.assumingMemoryBound(to: UInt16.self))
        case 4: walk(source.assumingMemoryBound(to: UInt32.self), destination.assumingMemoryBound(to: UInt32.self))
        default: walk(source.assumingMemoryBound(to: UInt64.self), destination.assumingMemoryBound(to: UInt64.self))
        }
    }

    private mutating func walk<T: FixedWidthInteger & UnsignedInteger>(_ source: UnsafePointer<T>, _ destination: UnsafeMutablePointer<T>) {
        let fillValue = T(truncatingIfNeeded: fill)
        if tables.isEmpty {
            destination[0] = source[0]
            return
        }
        if tables.contains(where: \.isEmpty) { return }
        let rank = tables.count
        let inner = tables[rank - 1]
        let innerCount = inner.count
        for d in 0..<rank { counter[d] = 0 }
        var output = destination
        while true {
            var base = 0
            var inside = true
            for d in 0..<(rank - 1) {
                let offset = tables[d][counter[d]]
                if offset < 0 { inside = false; break }
                base += offset
            }
            if !inside {
                output.update(repeating: fillValue, count: innerCount)
            } else if innerContiguous {
                output.update(from: source + base + inner[0], count: innerCount)
            } else {
                inner.withUnsafeBufferPointer { offsets in
                    for j in 0..<innerCount {
                        let offset = offsets[j]
                        output[j] = offset < 0 ? fillValue : source[base + offset]
                    }
                }
            }
            output += innerCount
            // Advance the odometer over the outer dimensions.
            var d = rank - 2
            while d >= 0 {
                counter[d] += 1
                if counter[d] < tables[d].count { break }
                counter[d] = 0
                d -= 1
            }
            if d < 0 { return }
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
        map.run(source, destination)
    }
}
