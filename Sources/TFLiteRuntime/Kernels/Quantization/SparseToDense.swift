import TFLiteModel

/// Expands a sparse tensor (`tflite.SparsityParameters`) to dense row-major data the way
/// LiteRT's `FormatConverter::SparseToDense` walks it: levels in traversal order, DENSE levels
/// iterate `dense_size` positions, SPARSE_CSR levels iterate `array_indices` between the
/// `array_segments` of the parent position, and block levels (`block_map`) refine the index of
/// the dimension they block. Every segment, index and value position is bounds-checked.
struct SparseToDense {
    enum Problem: Error, Equatable, CustomStringConvertible {
        case metadata(String)
        case data(String)

        var description: String {
            switch self {
            case .metadata(let reason), .data(let reason): reason
            }
        }
    }

    let denseShape: [Int]
    private let traversalOrder: [Int]
    private let blockMap: [Int]
    private let blockSizes: [Int]
    private let dimensions: [SparsityParameters.Dimension]
    private let strides: [Int]

    /// Validates the metadata for a dense tensor of `denseShape`.
    init(denseShape: [Int], sparsity: SparsityParameters) throws(Problem) {
        let rank = denseShape.count
        let levels = rank + sparsity.blockMap.count
        let order = sparsity.traversalOrder.map(Int.init)
        guard order.count == levels, sparsity.dimensions.count == levels else {
            throw .metadata("traversal order (\(order.count)) and dimension metadata (\(sparsity.dimensions.count)) must both have \(levels) entries")
        }
        guard Set(order) == Set(0..<levels), Set(order.prefix(rank)) == Set(0..<rank) else {
            throw .metadata("traversal order \(order) must list the \(rank) dimensions first, then the block dimensions")
        }
        let blockMap = sparsity.blockMap.map(Int.init)
        guard blockMap.allSatisfy({ $0 >= 0 && $0 < rank }) else { throw .metadata("block map \(blockMap) is out of range") }
        var blockSizes: [Int] = []
        for block in blockMap.indices {
            let size = Int(sparsity.dimensions[order[rank + block]].denseSize)
            guard size > 0 else { throw .metadata("block size \(size) must be positive") }
            blockSizes.append(size)
        }
        for (level, dimension) in sparsity.dimensions.enumerated() {
            switch dimension.format {
            case 0:
                guard dimension.denseSize >= 0 else { throw .metadata("level \(level) has dense size \(dimension.denseSize)") }
            case 1:
                guard !dimension.arraySegments.isEmpty else { throw .metadata("level \(level) has no array segments") }
            default:
                throw .metadata("level \(level) has unknown format \(dimension.format)")
            }
        }
        self.denseShape = denseShape
        traversalOrder = order
        self.blockMap = blockMap
        self.blockSizes = blockSizes
        dimensions = sparsity.dimensions
        strides = IndexMapCopy.strides(denseShape)
    }

    /// Writes the dense tensor (zeros elsewhere) from `values`, elements of `width` bytes.
    func expand(values: UnsafeRawBufferPointer, width: Int, into output: UnsafeMutableRawBufferPointer) throws(Problem) {
        let denseCount = denseShape.reduce(1, *)
        guard output.count >= denseCount * width else { throw .data("the output is too small") }
        output.initializeMemory(as: UInt8.self, repeating: 0)
        var indices = [Int](repeating: 0, count: traversalOrder.count)
        var original = [Int](repeating: 0, count: denseShape.count)
        var next = 0
        // A well-formed walk visits at most `denseCount` positions per level (each one a distinct
        // prefix of dense indices); hostile metadata could make dense levels loop over empty
        // sparse levels for billions of steps without ever reaching a value.
        var budget = (traversalOrder.count + 1) * max(denseCount, 1) + 1
        try populate(level: 0, parent: 0, indices: &indices, original: &original, next: &next, budget: &budget,
                     values: values, width: width, output: output)
    }

    private func populate(level: Int, parent: Int, indices: inout [Int], original: inout [Int], next: inout Int, budget: inout Int,
                          values: UnsafeRawBufferPointer, width: Int, output: UnsafeMutableRawBufferPointer) throws(Problem) {
        budget -= 1
        guard budget >= 0 else { throw .data("the sparsity metadata walks more positions than the dense tensor has") }
        let rank = denseShape.count
        if level == indices.count {
            for i in 0..<rank { original[traversalOrder[i]] = indices[i] }
            for i in rank..<indices.count {
                let block = traversalOrder[i] - rank
                let dimension = blockMap[block]
                original[dimension] = original[dimension] * blockSizes[block] + indices[i]
            }
            var flat = 0
            for d in 0..<rank {
                guard original[d] >= 0, original[d] < denseShape[d] else {
                    throw .data("index \(original) is outside the dense shape \(denseShape)")
                }
                flat += original[d] * strides[d]
            }
            guard (next + 1) * width <= values.count, let base = output.baseAddress, let source = values.baseAddress else {
                throw .data("the sparse tensor has fewer values than its metadata addresses")
            }
            (base + flat * width).copyMemory(from: source + next * width, byteCount: width)
            next += 1
            return
        }
        let dimension = dimensions[level]
        if dimension.format == 0 {
            let size = Int(dimension.denseSize)
            for i in 0..<size {
                indices[level] = i
                try populate(level: level + 1, parent: parent * size + i, indices: &indices, original: &original,
                             next: &next, budget: &budget, values: values, width: width, output: output)
            }
        } else {
            let segments = dimension.arraySegments
            guard parent >= 0, parent + 1 < segments.count else { throw .data("level \(level) has too few array segments") }
            let from = Int(segments[parent]), to = Int(segments[parent + 1])
            guard from >= 0, from <= to, to <= dimension.arrayIndices.count else {
                throw .data("level \(level) has array segments outside its indices")
            }
            for i in from..<to {
                indices[level] = Int(dimension.arrayIndices[i])
                try populate(level: level + 1, parent: i, indices: &indices, original: &original,
                             next: &next, budget: &budget, values: values, width: width, output: output)
            }
        }
    }
}
