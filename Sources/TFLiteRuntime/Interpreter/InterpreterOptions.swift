extension Interpreter {
    /// How an interpreter runs.
    public struct Options: Sendable, Equatable {
        /// Threads used by kernels that split their work (1 = the calling thread only).
        public var threadCount: Int = 1
        /// The most bytes of tensor memory (activations arena plus scratch) allowed; nil for no
        /// limit. Checked at `allocateTensors()`, before anything is allocated.
        public var memoryLimit: Int?

        public init(threadCount: Int = 1, memoryLimit: Int? = nil) {
            self.threadCount = threadCount
            self.memoryLimit = memoryLimit
        }
    }
}
