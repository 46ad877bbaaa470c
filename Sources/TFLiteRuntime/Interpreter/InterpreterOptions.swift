import Foundation

extension Interpreter {
    /// How an interpreter runs.
    public struct Options: Sendable, Equatable {
        /// Threads used by kernels that split their work (1 = the calling thread only).
        public var threadCount: Int = 1
        /// The most bytes of tensor memory (activations arena plus scratch) allowed; nil for the
        /// machine's physical memory (a hostile model's terabyte tensor is refused, not attempted).
        /// Checked at `allocateTensors()`, before anything is allocated.
        public var memoryLimit: Int?

        /// The most multiply-adds (or input values read) one operator may do per `invoke()`:
        /// convolutions, matrix products and pooling check it at `allocateTensors()`. The default,
        /// 2^36 (about 7 × 10^10, a minute or more of work for one operator), is far above any
        /// real model's layers and stops a hostile file from making one operator run for hours.
        public var workLimit: Int = 1 << 36

        public init(threadCount: Int = 1, memoryLimit: Int? = nil, workLimit: Int = 1 << 36) {
            self.threadCount = threadCount
            self.memoryLimit = memoryLimit
            self.workLimit = workLimit
        }

        /// ``memoryLimit``, or the physical memory when it is nil (nil only if that is unknown).
        var effectiveMemoryLimit: Int? {
            if let memoryLimit { return memoryLimit }
            let physical = ProcessInfo.processInfo.physicalMemory
            return physical > 0 ? Int(clamping: physical) : nil
        }
    }
}
