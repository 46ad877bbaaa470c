import CTFLiteKernels

/// A fixed set of worker threads for splitting a kernel's work into chunks (`tfl_pool`: workers
/// spin briefly between jobs, so back-to-back operators do not pay a thread wake-up each).
///
/// `parallelFor` runs `body` over `0..<count` in at most `threadCount` contiguous chunks, the
/// caller's thread taking part; results must not depend on how the work is split.
public final class ThreadPool: @unchecked Sendable {
    public let threadCount: Int
    private let pool: OpaquePointer?

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        pool = self.threadCount > 1 ? tfl_pool_create(Int32(clamping: self.threadCount)) : nil
    }

    deinit { tfl_pool_destroy(pool) }

    /// Pieces per thread a parallel loop is cut into: threads claim pieces as they go, so one
    /// that is late (a busy core, a descheduled virtual CPU) holds the others up for a piece,
    /// not for half the work.
    public static let piecesPerThread = 4

    /// Calls `body(range)` for disjoint ranges covering `0..<count`, in parallel when the pool
    /// has more than one thread and `count >= minimumPerThread * 2`.
    public func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount * Self.piecesPerThread, max(1, count / max(1, minimumPerThread)))
        guard chunks > 1, let pool else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = Job(count: count, chunks: chunks, body: body)
            withUnsafeMutablePointer(to: &job) { pointer in
                tfl_pool_run(pool, chunks, { context, chunk in
                    guard let job = context?.assumingMemoryBound(to: Job.self).pointee else { return }
                    let start = job.count * chunk / job.chunks
                    let end = job.count * (chunk + 1) / job.chunks
                    if start < end { job.body(start..<end) }
                }, pointer)
            }
        }
    }

    /// What a C worker needs to run one chunk.
    private struct Job {
        let count: Int
        let chunks: Int
        let body: (Range<Int>) -> Void
    }
}

/// Carries a non-Sendable value (a pointer to a flag the chunks may set) into a parallel loop
/// whose chunks touch disjoint data.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
