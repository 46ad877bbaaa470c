/// How a binary elementwise operator pairs its two inputs: NumPy broadcasting up to 6-D, as
/// LiteRT's `BroadcastBinaryFunction6DSlow` does, with fast paths for equal shapes and scalars.
///
/// The output is walked in row-major order; the general case is a 6-D loop whose innermost
/// dimension steps each input by 0 or 1.
struct BinaryBroadcast: Equatable {
    /// The broadcast output shape.
    var outputShape: [Int] = []
    var outputCount = 0
    /// How the inputs line up.
    enum Layout: Equatable { case same, scalarA, scalarB, general }
    var layout = Layout.same
    /// Output dimensions padded to 6 (leading ones).
    var dims = [Int](repeating: 1, count: 6)
    /// Element strides of each input per padded dimension (0 where it broadcasts).
    var stridesA = [Int](repeating: 0, count: 6)
    var stridesB = [Int](repeating: 0, count: 6)
    /// The general layout with `a` the whole output and `b` one innermost row repeated (a
    /// per-channel PRELU alpha, a bias): each output row pairs a's row with all of b.
    var repeatsRowOfB = false

    /// The largest rank broadcasting supports.
    static let maxRank = 6

    init() {}

    /// Resolves the broadcast of `a` and `b`, throwing when the shapes don't fit.
    init(_ a: [Int], _ b: [Int], node: Node) throws(InterpreterError) {
        let rank = max(a.count, b.count)
        guard rank <= Self.maxRank else {
            throw node.unsupported("broadcasting supports up to \(Self.maxRank) dimensions, got \(a.count) and \(b.count)")
        }
        var shape = [Int](repeating: 1, count: rank)
        let padA = [Int](repeating: 1, count: rank - a.count) + a
        let padB = [Int](repeating: 1, count: rank - b.count) + b
        for axis in 0..<rank {
            let x = padA[axis], y = padB[axis]
            if x == y || y == 1 { shape[axis] = x } else if x == 1 { shape[axis] = y } else {
                throw node.invalid("input shapes \(a) and \(b) do not broadcast")
            }
        }
        outputShape = shape
        outputCount = shape.reduce(1, *)
        let countA = a.reduce(1, *), countB = b.reduce(1, *)
        if padA == padB {
            layout = .same
        } else if countA == 1 {
            layout = .scalarA
        } else if countB == 1 {
            layout = .scalarB
        } else {
            layout = .general
        }
        // Strides, padded to 6-D.
        let offset = Self.maxRank - rank
        var strideA = 1, strideB = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            dims[offset + axis] = shape[axis]
            stridesA[offset + axis] = padA[axis] == 1 ? 0 : strideA
            stridesB[offset + axis] = padB[axis] == 1 ? 0 : strideB
            strideA *= padA[axis]
            strideB *= padB[axis]
        }
        repeatsRowOfB = layout == .general && padA == shape && stridesB.dropLast().allSatisfy { $0 == 0 } && stridesB[5] == 1
    }

    /// The rows (runs along the innermost dimension) the general layout walks, for
    /// ``apply(rows:_:_:_:_:)``.
    var rows: Int { layout == .general ? dims[0] * dims[1] * dims[2] * dims[3] * dims[4] : 1 }

    /// ``apply(_:_:_:_:)`` for the general layout's output rows in `rows` only (so that threads
    /// can take disjoint rows).
    @inline(__always)
    func apply<A, B, O>(rows: Range<Int>, _ a: UnsafePointer<A>, _ b: UnsafePointer<B>, _ output: UnsafeMutablePointer<O>,
                        _ body: (A, B) -> O) {
        let inner = dims[5], innerA = stridesA[5], innerB = stridesB[5]
        guard let first = rows.first else { return }
        // The first row's indices over dims 0...4, then stepped like an odometer (no division
        // per row: rows can be short).
        var i4 = first % dims[4], rest = first / dims[4]
        var i3 = rest % dims[3]
        rest /= dims[3]
        var i2 = rest % dims[2]
        rest /= dims[2]
        var i1 = rest % dims[1], i0 = rest / dims[1]
        for row in rows {
            let offsetA = i0 * stridesA[0] + i1 * stridesA[1] + i2 * stridesA[2] + i3 * stridesA[3] + i4 * stridesA[4]
            let offsetB = i0 * stridesB[0] + i1 * stridesB[1] + i2 * stridesB[2] + i3 * stridesB[3] + i4 * stridesB[4]
            i4 += 1
            if i4 == dims[4] {
                i4 = 0
                i3 += 1
                if i3 == dims[3] {
                    i3 = 0
                    i2 += 1
                    if i2 == dims[2] {
                        i2 = 0
                        i1 += 1
                        if i1 == dims[1] { i1 = 0; i0 += 1 }
                    }
                }
            }
            let pa = a + offsetA, pb = b + offsetB, po = output + row * inner
            switch (innerA, innerB) {
            case (1, 1): for k in 0..<inner { po[k] = body(pa[k], pb[k]) }
            case (1, 0): let y = pb[0]; for k in 0..<inner { po[k] = body(pa[k], y) }
            case (0, 1): let x = pa[0]; for k in 0..<inner { po[k] = body(x, pb[k]) }
            default: for k in 0..<inner { po[k] = body(pa[k * innerA], pb[k * innerB]) }
            }
        }
    }

    /// The parts ``apply(parts:_:_:_:_:)`` takes: output rows for the general layout, output
    /// elements for the others.
    var parts: Int { layout == .general ? rows : outputCount }

    /// Parts per thread for at least `elements` output elements per thread.
    func partsPerThread(elements: Int) -> Int {
        layout == .general ? max(1, elements / max(dims[5], 1)) : max(1, elements)
    }

    /// ``apply(_:_:_:_:)`` for the ``parts`` in `parts` only, so that threads can take disjoint
    /// parts (pass `body` as a literal inside the pool's closure so that it inlines: captured,
    /// it is called per element).
    @inline(__always)
    func apply<A, B, O>(parts: Range<Int>, _ a: UnsafePointer<A>, _ b: UnsafePointer<B>, _ output: UnsafeMutablePointer<O>,
                        _ body: (A, B) -> O) {
        switch layout {
        case .same:
            for i in parts { output[i] = body(a[i], b[i]) }
        case .scalarA:
            let x = a[0]
            for i in parts { output[i] = body(x, b[i]) }
        case .scalarB:
            let y = b[0]
            for i in parts { output[i] = body(a[i], y) }
        case .general where repeatsRowOfB:
            let inner = dims[5]
            for row in parts {
                let pa = a + row * inner, po = output + row * inner
                for k in 0..<inner { po[k] = body(pa[k], b[k]) }
            }
        case .general:
            apply(rows: parts, a, b, output, body)
        }
    }

    /// Calls `body(offsetA, stepA, offsetB, stepB, offsetOut, count)` for every run of output
    /// elements along the innermost dimension (the whole output when no broadcasting is needed);
    /// each input's step is 1 (contiguous) or 0 (one value for the whole run).
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        switch layout {
        case .same: if outputCount > 0 { body(0, 1, 0, 1, 0, outputCount) }
        case .scalarA: if outputCount > 0 { body(0, 0, 0, 1, 0, outputCount) }
        case .scalarB: if outputCount > 0 { body(0, 1, 0, 0, 0, outputCount) }
        case .general:
            if outputCount == 0 { return }
            var o = 0
            let inner = dims[5]
            for i0 in 0..<dims[0] {
                for i1 in 0..<dims[1] {
                    for i2 in 0..<dims[2] {
                        for i3 in 0..<dims[3] {
                            for i4 in 0..<dims[4] {
                                let ia = i0 * stridesA[0] + i1 * stridesA[1] + i2 * stridesA[2] + i3 * stridesA[3] + i4 * stridesA[4]
                                let ib = i0 * stridesB[0] + i1 * stridesB[1] + i2 * stridesB[2] + i3 * stridesB[3] + i4 * stridesB[4]
                                body(ia, stridesA[5], ib, stridesB[5], o, inner)
                                o += inner
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes `output[i] = body(a[ia], b[ib])` for every output element.
    @inline(__always)
    func apply<A, B, O>(_ a: UnsafePointer<A>, _ b: UnsafePointer<B>, _ output: UnsafeMutablePointer<O>,
                        _ body: (A, B) -> O) {
        switch layout {
        case .same:
            for i in 0..<outputCount { output[i] = body(a[i], b[i]) }
        case .scalarA:
            let x = a[0]
            for i in 0..<outputCount { output[i] = body(x, b[i]) }
        case .scalarB:
            let y = b[0]
            for i in 0..<outputCount { output[i] = body(a[i], y) }
        case .general:
            if outputCount == 0 { return }
            var o = 0
            let inner = dims[5], innerA = stridesA[5], innerB = stridesB[5]
            for i0 in 0..<dims[0] {
                let a0 = i0 * stridesA[0], b0 = i0 * stridesB[0]
                for i1 in 0..<dims[1] {
                    let a1 = a0 + i1 * stridesA[1], b1 = b0 + i1 * stridesB[1]
                    for i2 in 0..<dims[2] {
                        let a2 = a1 + i2 * stridesA[2], b2 = b1 + i2 * stridesB[2]
                        for i3 in 0..<dims[3] {
                            let a3 = a2 + i3 * stridesA[3], b3 = b2 + i3 * stridesB[3]
                            for i4 in 0..<dims[4] {
                                let pa = a + a3 + i4 * stridesA[4], pb = b + b3 + i4 * stridesB[4], po = output + o
                                // The innermost dimension, specialized by its strides so the
                                // common contiguous and broadcast rows vectorize.
                                switch (innerA, innerB) {
                                case (1, 1): for k in 0..<inner { po[k] = body(pa[k], pb[k]) }
                                case (1, 0): let y = pb[0]; for k in 0..<inner { po[k] = body(pa[k], y) }
                                case (0, 1): let x = pa[0]; for k in 0..<inner { po[k] = body(x, pb[k]) }
                                default: for k in 0..<inner { po[k] = body(pa[k * innerA], pb[k * innerB]) }
                                }
                                o += inner
                            }
                        }
                    }
                }
            }
        }
    }
}
