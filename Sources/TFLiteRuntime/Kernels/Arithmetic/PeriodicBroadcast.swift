/// A broadcast where one input has the output's shape and the other repeats along the output's
/// flat order with a period: its shape is the output's trailing dimensions (leading 1s aside),
/// as a per-channel scale, a bias or a normalization's mean. `[1, H, W, C] + [C]` or
/// `[1, 1, 1, C]`, `[N, S, D] · [S, D]`.
///
/// The repeating input is tiled into a run of whole periods at least ``minimumRun`` long, so the
/// contiguous elementwise kernels take long runs (not one call per period of, say, 3 channels)
/// and the runs split over the pool.
struct PeriodicBroadcast {
    /// Which input repeats (0 or 1).
    let periodicInput: Int
    /// Elements in one period.
    let period: Int
    /// Elements of the tiled copy (whole periods; `period` itself when that is long enough).
    let runLength: Int
    let outputCount: Int

    /// Runs shorter than this would pay a call each for little work.
    static let minimumRun = 1024

    /// The layout of `a` and `b` broadcast to `output`, when one input is the whole output and
    /// the other a repeating suffix of it; nil otherwise.
    init?(_ a: [Int], _ b: [Int], output: [Int]) {
        let count = output.reduce(1, *)
        guard count > 0 else { return nil }
        func padded(_ shape: [Int]) -> [Int] { [Int](repeating: 1, count: max(0, output.count - shape.count)) + shape }
        func repeatingPeriod(_ shape: [Int]) -> Int? {
            let shape = padded(shape)
            guard shape.count == output.count else { return nil }
            // Leading 1s, then exactly the output's trailing dimensions.
            var axis = 0
            while axis < shape.count && shape[axis] == 1 { axis += 1 }
            guard Array(shape[axis...]) == Array(output[axis...]) else { return nil }
            let period = output[axis...].reduce(1, *)
            return period < count ? period : nil
        }
        if padded(a) == output, let period = repeatingPeriod(b) {
            periodicInput = 1
            self.period = period
        } else if padded(b) == output, let period = repeatingPeriod(a) {
            periodicInput = 0
            self.period = period
        } else {
            return nil
        }
        outputCount = count
        runLength = period >= Self.minimumRun ? period : period * ((Self.minimumRun + period - 1) / period)
    }

    /// Whether ``run(_:periodic:scratch:width:pool:minimumPerThread:_:)`` needs a tiled copy.
    var needsScratch: Bool { runLength != period }

    /// Fills `scratch` (room for `runLength` elements of `width` bytes) with whole periods of
    /// `periodic`: the tiled copy ``run(periodic:scratch:tiled:width:pool:minimumPerThread:_:)`` reads.
    func tile(_ periodic: UnsafeRawPointer, into scratch: UnsafeMutableRawPointer, width: Int) {
        let bytes = period * width
        for copy in 0..<(runLength / period) { (scratch + copy * bytes).copyMemory(from: periodic, byteCount: bytes) }
    }

    /// Calls `body(offset, periodicRun, count)` for consecutive runs of the output (split over
    /// the pool): the output elements `offset ..< offset + count` combine the full input's same
    /// elements with `periodicRun[0 ..< count]`. `scratch` has room for `runLength` elements of
    /// `width` bytes when ``needsScratch``; `tiled`: it already holds ``tile(_:into:width:)`` of
    /// `periodic` (a constant tiled once at prepare).
    func run(periodic: UnsafeRawPointer, scratch: UnsafeMutableRawPointer?, tiled: Bool = false, width: Int, pool: ThreadPool,
             minimumPerThread: Int, _ body: (Int, UnsafeRawPointer, Int) -> Void) {
        var source = periodic
        if needsScratch, let scratch {
            if !tiled { tile(periodic, into: scratch, width: width) }
            source = UnsafeRawPointer(scratch)
        } else if needsScratch {
            return
        }
        let runs = (outputCount + runLength - 1) / runLength
        let runLength = self.runLength, outputCount = self.outputCount
        pool.parallelFor(runs, minimumPerThread: max(1, minimumPerThread / runLength)) { range in
            for index in range {
                let offset = index * runLength
                body(offset, source, min(runLength, outputCount - offset))
            }
        }
    }
}
