import TFLiteModel

/// Weight repacking done once at prepare (or at run for non-constant weights): LiteRT's
/// `[outer][taps][inner]` filters (OHWI for CONV_2D and TRANSPOSE_CONV, `[units][depth]` for
/// FULLY_CONNECTED) become `[taps][inner][outer]`, so the inner loop walks output channels
/// contiguously. Integer weights are widened to `Int16` with their zero point removed.
enum WeightPacking {
    /// Float32 `[outer][taps][inner]` → `[taps][inner][outer]`.
    static func packFloat(_ source: UnsafePointer<Float>, outer: Int, taps: Int, inner: Int, into target: UnsafeMutablePointer<Float>) {
        for o in 0..<outer {
            for t in 0..<taps {
                let row = source + (o * taps + t) * inner
                for i in 0..<inner {
                    target[(t * inner + i) * outer + o] = row[i]
                }
            }
        }
    }

    /// Integer `[outer][taps][inner]` → `[taps][inner][outer]` as `Int16(w) + offset`.
    static func packInteger<T: BinaryInteger>(_ source: UnsafePointer<T>, outer: Int, taps: Int, inner: Int, offset: Int32, into target: UnsafeMutablePointer<Int16>) {
        for o in 0..<outer {
            for t in 0..<taps {
                let row = source + (o * taps + t) * inner
                for i in 0..<inner {
                    target[(t * inner + i) * outer + o] = Int16(truncatingIfNeeded: Int32(truncatingIfNeeded: row[i]) &+ offset)
                }
            }
        }
    }

    /// Packs a filter tensor for `mode` into `float` or `integer` storage.
    static func pack(_ filter: RuntimeTensor, mode: ConvMode, outer: Int, taps: Int, inner: Int,
                     float: UnsafeMutablePointer<Float>?, integer: UnsafeMutablePointer<Int16>?, node: Node) throws(InterpreterError) {
        let count = outer * taps * inner
        switch mode {
        case .float:
            guard let float else { return }
            packFloat(try ConvSupport.checked(filter, Float.self, count: count, node: node), outer: outer, taps: taps, inner: inner, into: float)
        case .int8, .int16, .hybrid:
            guard let integer else { return }
            packInteger(try ConvSupport.checked(filter, Int8.self, count: count, node: node), outer: outer, taps: taps, inner: inner, offset: 0, into: integer)
        case .uint8:
            guard let integer else { return }
            packInteger(try ConvSupport.checked(filter, UInt8.self, count: count, node: node), outer: outer, taps: taps, inner: inner,
                        offset: -filter.zeroPoint, into: integer)
        }
    }
}
