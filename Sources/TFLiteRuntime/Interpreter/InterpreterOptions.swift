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

        public init(threadCount: Int = 1, memoryLimit: Int? = nil) {
            self.threadCount = threadCount
            self.memoryLimit = memoryLimit
        }

        /// ``memoryLimit``, or the physical memory when it is nil (nil only if that is unknown).
        var effectiveMemoryLimit: Int? {
            if let memoryLimit { return memoryLimit }
            let physical = ProcessInfo.processInfo.physicalMemory
            return physical > 0 ? Int(clamping: physical) : nil
        }
    }
}
