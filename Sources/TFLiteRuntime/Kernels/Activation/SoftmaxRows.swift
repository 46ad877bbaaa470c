/// The rows SOFTMAX and LOG_SOFTMAX work on: `outer` rows of `depth` values along the last axis.
enum SoftmaxRows {
    /// The input and output of `node` at the start of a run, once their element counts are
    /// checked against the prepared `outer × depth`; nil when there are no rows to compute.
    static func operands(_ node: Node, _ tensors: TensorTable, outer: Int,
                         depth: Int) throws(InterpreterError) -> (input: RuntimeTensor, output: RuntimeTensor)? {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard output.elementCount == input.elementCount, input.elementCount == outer * depth else {
            throw node.failure("tensor sizes changed after prepare")
        }
        if outer == 0 || depth == 0 { return nil }
        return (input, output)
    }

    /// The largest of the `count` values at `row`, folded left to right with `Swift.max` from
    /// `lowest`: the scan every row starts with (float, int8/uint8 and int16 rows alike).
    /// Always inlined so each caller keeps its own specialised, closure-free loop; the order of
    /// comparisons is the one the kernels had, so results (and NaN handling) are unchanged.
    @inline(__always)
    static func maximum<T: Comparable>(_ row: UnsafeMutablePointer<T>, count: Int, from lowest: T) -> T {
        var maximum = lowest
        for c in 0..<count { maximum = max(maximum, row[c]) }
        return maximum
    }
}
