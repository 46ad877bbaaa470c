import Foundation

/// A fixed set of worker threads for splitting a kernel's work into chunks.
///
/// `parallelFor` runs `body` over `0..<count` in at most `threadCount` contiguous chunks, the
/// caller's thread taking the first; results must not depend on how the work is split.
public final class ThreadPool: @unchecked Sendable {
    public let threadCount: Int
    private let queue: DispatchQueue

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        self.queue = DispatchQueue(label: "tflite.runtime.pool", attributes: .concurrent)
    }

    /// Calls `body(range)` for disjoint ranges covering `0..<count`, in parallel when the pool
    /// has more than one thread and `count >= minimumPerThread * 2`.
    public func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount, max(1, count / max(1, minimumPerThread)))
        guard chunks > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let run = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                if start < end { run.value(start..<end) }
            }
        }
    }
}

/// Carries a non-Sendable value into `concurrentPerform`, whose chunks touch disjoint data.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
