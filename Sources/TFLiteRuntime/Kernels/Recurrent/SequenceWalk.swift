/// The order a recurrent operator visits its sequence in, as LiteRT's sequence kernels do:
/// time-major inputs (`[time, batch, …]`) step every batch row at once; batch-major ones
/// (`[batch, time, …]`) run each sequence on its own, its state being its row of the state
/// tensors. The backward direction of a bidirectional operator walks time in reverse.
struct SequenceWalk {
    var time: Int
    var batches: Int
    var timeMajor: Bool
    var reversed = false

    /// Calls `body(row, rows, stateRow)` once per step: `rows` consecutive input (and output) rows
    /// starting at `row` of the `time × batches` rows, whose states start at `stateRow`.
    @inline(__always)
    func forEachStep(_ body: (_ row: Int, _ rows: Int, _ stateRow: Int) -> Void) {
        if timeMajor {
            for s in 0..<time {
                let t = reversed ? time - 1 - s : s
                body(t * batches, batches, 0)
            }
        } else {
            for b in 0..<batches {
                for s in 0..<time {
                    let t = reversed ? time - 1 - s : s
                    body(b * time + t, 1, b)
                }
            }
        }
    }

    /// Copies `rows` state rows of `width` values into output rows of `stride` values at `offset`.
    @inline(__always)
    static func copy<T>(_ state: UnsafePointer<T>, rows: Int, width: Int, into output: UnsafeMutablePointer<T>, stride: Int, offset: Int) {
        for r in 0..<rows { (output + r * stride + offset).update(from: state + r * width, count: width) }
    }
}
