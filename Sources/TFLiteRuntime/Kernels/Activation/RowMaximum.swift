/// The largest of the `count` values at `row`, folded left to right with `Swift.max` from `lowest`.
///
/// The row scan that SOFTMAX and LOG_SOFTMAX start every row with (float, int8/uint8 and int16
/// rows alike). Always inlined so each caller keeps its own specialised, closure-free loop; the
/// order of comparisons is the one the kernels had, so results (and NaN handling) are unchanged.
@inline(__always)
func rowMaximum<T: Comparable>(_ row: UnsafeMutablePointer<T>, count: Int, from lowest: T) -> T {
    var maximum = lowest
    for c in 0..<count { maximum = max(maximum, row[c]) }
    return maximum
}
