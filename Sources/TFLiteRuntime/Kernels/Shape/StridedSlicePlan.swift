/// STRIDED_SLICE's index arithmetic, as LiteRT resolves it: the ellipsis expands to the
/// dimensions `begin` does not cover, `new_axis_mask` inserts dimensions of 1, masks override
/// begin/end, negative indices count from the end, `offset` makes `end` relative to `begin`,
/// and shrunk axes are dropped from the output.
struct StridedSlicePlan: Equatable {
    /// Per dimension of the input (after new axes are inserted): first index, step, count.
    struct Axis: Equatable {
        var start: Int
        var stride: Int
        var count: Int
        /// Whether this is an inserted axis of size 1 (not a dimension of the input).
        var isNewAxis: Bool
        var isShrunk: Bool
    }

    var axes: [Axis] = []
    /// The output shape (shrunk axes removed, new axes kept).
    var outputShape: [Int] = []

    struct Options: Equatable {
        var beginMask = 0
        var endMask = 0
        var ellipsisMask = 0
        var newAxisMask = 0
        var shrinkAxisMask = 0
        var offset = false
    }

    /// Problems with the indices, reported by the kernel as `invalid`.
    enum Problem: Error, Equatable {
        case lengths
        case zeroStride
        case tooManyDimensions
        case shrinkOutOfRange(axis: Int)
    }

    init(inputShape: [Int], begin: [Int], end: [Int], strides: [Int], options: Options) throws(Problem) {
        let count = begin.count
        guard end.count == count, strides.count == count, count <= 30 else { throw .lengths }
        let inputRank = inputShape.count
        func bit(_ mask: Int, _ i: Int) -> Bool { i >= 0 && i < 62 && mask & (1 << i) != 0 }

        var addedAxes = 0
        for i in 0..<count where !bit(options.ellipsisMask, i) && bit(options.newAxisMask, i) { addedAxes += 1 }
        let rank = inputRank + addedAxes
        guard rank <= 30 else { throw .tooManyDimensions }

        // Expand the ellipsis and place the new axes in the effective dimensions.
        var ellipsis = [Bool](repeating: false, count: rank)
        var newAxis = [Bool](repeating: false, count: rank)
        var ellipsisStart = rank
        var expanded = 0
        var i = 0
        while i < rank {
            if bit(options.ellipsisMask, i) {
                ellipsisStart = i
                let ellipsisEnd = max(i + 1, min(i + 1 + addedAxes + inputRank - count, rank))
                expanded = ellipsisEnd - ellipsisStart - 1
                while i < ellipsisEnd { ellipsis[i] = true; i += 1 }
                continue
            }
            if bit(options.newAxisMask, i - expanded) { newAxis[i] = true }
            i += 1
        }

        var effectiveShape = [Int](repeating: 1, count: rank)
        var starts = [Int](repeating: 0, count: rank)
        var stops = [Int](repeating: 0, count: rank)
        var steps = [Int](repeating: 1, count: rank)
        var beginMask = [Bool](repeating: false, count: rank)
        var endMask = [Bool](repeating: false, count: rank)
        var shrink = [Bool](repeating: false, count: rank)
        var addedEllipsis = 0
        var inserted = 0
        for i in 0..<rank {
            if ellipsis[i] {
                addedEllipsis = max(0, i - ellipsisStart)
                beginMask[i] = true
                endMask[i] = true
                guard i - inserted < inputRank else { throw .lengths }
                effectiveShape[i] = inputShape[i - inserted]
            } else if newAxis[i] {
                stops[i] = 1
                effectiveShape[i] = 1
                inserted += 1
            } else if i >= count + expanded {
                beginMask[i] = true
                endMask[i] = true
                guard i - inserted < inputRank else { throw .lengths }
                effectiveShape[i] = inputShape[i - inserted]
            } else {
                let original = i - addedEllipsis
                guard original >= 0, original < count, i - inserted < inputRank else { throw .lengths }
                starts[i] = begin[original]
                stops[i] = end[original]
                steps[i] = strides[original]
                beginMask[i] = bit(options.beginMask, original)
                endMask[i] = bit(options.endMask, original)
                shrink[i] = bit(options.shrinkAxisMask, original)
                effectiveShape[i] = inputShape[i - inserted]
            }
        }

        func clamp(_ v: Int, _ low: Int, _ high: Int) -> Int { v > high ? high : (v < low ? low : v) }
        for i in 0..<rank {
            let stride = steps[i]
            guard stride != 0 else { throw .zeroStride }
            let size = effectiveShape[i]
            // Start (LiteRT's StridedSliceStartForAxis).
            var start = starts[i]
            if start < 0 { start += size }
            start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1)
            if beginMask[i] { start = stride > 0 ? 0 : size - 1 }
            // End (StridedSliceEndForAxis).
            var stop: Int
            if shrink[i] {
                guard starts[i] >= -size, starts[i] < size else { throw .shrinkOutOfRange(axis: i) }
                stop = start + 1
            } else {
                stop = stops[i]
                if options.offset { stop += start }
                if stop < 0 { stop += size }
                stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1)
                if endMask[i] { stop = stride > 0 ? size : -1 }
            }
            let span = stop - start
            var count = stride > 0 ? (span + stride - 1) / stride : (span + stride + 1) / stride
            if span == 0 || (span > 0) != (stride > 0) { count = 0 }
            count = max(count, 0)
            axes.append(Axis(start: start, stride: stride, count: count, isNewAxis: newAxis[i], isShrunk: shrink[i]))
            if !shrink[i] { outputShape.append(count) }
        }
    }

    /// The per-dimension source offsets for an input of `inputShape` (row-major).
    func tables(inputShape: [Int]) -> [[Int]] {
        let strides = IndexMapCopy.strides(inputShape)
        var tables: [[Int]] = []
        var inputAxis = 0
        let empty = axes.contains { !$0.isNewAxis && $0.count == 0 }
        for axis in axes {
            if axis.isNewAxis {
                tables.append([0])
                continue
            }
            let step = strides[inputAxis]
            tables.append(IndexMapCopy.table(axis.count, outputIsEmpty: empty) { (axis.start + $0 * axis.stride) * step })
            inputAxis += 1
        }
        return tables
    }
}
