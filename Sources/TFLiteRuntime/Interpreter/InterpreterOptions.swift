#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Interpreter {
    /// How an interpreter runs, and the limits that keep a hostile model from exhausting the
    /// machine: every limit is checked at `allocateTensors()`, before anything is allocated or
    /// run, and a model over one is refused with an error naming the limit, the figure and the
    /// option that raises it.
    ///
    /// The defaults (what `tflrun` and generated wrappers use unless told otherwise):
    /// - ``memoryLimit``: a quarter of the machine's physical memory, at most 4 GiB
    ///   (``defaultMemoryLimit``);
    /// - ``workLimit``: 2^35 work units per operator;
    /// - ``totalWorkLimit``: 2^36 work units per `invoke()`, all operators together.
    ///
    /// Work is counted in **work units**: one multiply-add of a matrix kernel (convolutions, fully
    /// connected, matrix products), plus ``elementWork`` units for every tensor element an
    /// operator reads or writes (and every input value a pooling window reads), since moving an
    /// element costs about as much as that many multiply-adds; float functions that cost more per
    /// element count more (TANH 128 extra passes, SQRT/RSQRT/ELU 32, EXP, LOG, SIN, COS, GELU and
    /// float SOFTMAX 16). In a release build on one core of the development machine, a chain of
    /// RELUs at the per-run limit takes about 3 s; real models stay far below (the largest test
    /// fixture plans 3.4 × 10^6 units; Inception V3 or ConvNeXt-Tiny, by their multiply-adds and
    /// activations, about 10^10).
    public struct Options: Sendable, Equatable {
        /// Threads used by kernels that split their work (1 = the calling thread only).
        public var threadCount: Int = 1
        /// The most bytes of tensor memory (activations arena, folded constants, kernels' scratch
        /// and packed weights) the interpreter may allocate. Default: ``defaultMemoryLimit``,
        /// a quarter of the physical memory and at most 4 GiB. `Int.max` lifts the limit (a
        /// terabyte tensor is then still refused by the allocator, but a 20 GB one is attempted).
        public var memoryLimit: Int = Options.defaultMemoryLimit

        /// The most work units (see ``Options``) one operator may do per `invoke()`.
        /// Default: 2^35 (about 3.4 × 10^10).
        public var workLimit: Int = Options.defaultWorkLimit

        /// The most work units all operators together may do per `invoke()` (1 000 cheap
        /// operators over large tensors add up). Default: 2^36 (about 6.9 × 10^10).
        public var totalWorkLimit: Int = Options.defaultTotalWorkLimit

        /// Custom operators by the custom code models name them with (see ``CustomOperator``):
        /// MediaPipe's (``CustomOperators/mediaPipe``) unless changed; an app registers its own
        /// here.
        public var customOperators = CustomOperators.mediaPipe

        /// Streams constant float weights instead of keeping a packed copy of each: every run
        /// packs an operator's weights into one buffer the operators share, and the mapped
        /// file's pages of those weights are let go once the operator has run. Resident memory
        /// is then the arena plus the largest operator's weights (not all of them), for a
        /// one-pass tool that runs a model it will not keep (`tflquant`'s calibration) at the
        /// cost of repacking on every run. Results are identical.
        package var streamsWeights = false

        /// Runs pointwise float convolutions and fully connected layers whose constant weights
        /// are mostly zeros, and int8 ones whose weights are zero in runs of 16 input channels,
        /// as sparse products (the same numbers, wherever float inputs are finite); false keeps
        /// the dense GEMM, for comparisons (`tflrun bench --dense-weights`).
        package var sparseWeights = true

        /// Options with the default limits unless given.
        public init(threadCount: Int = 1, memoryLimit: Int = Options.defaultMemoryLimit,
                    workLimit: Int = Options.defaultWorkLimit, totalWorkLimit: Int = Options.defaultTotalWorkLimit) {
            self.threadCount = threadCount
            self.memoryLimit = memoryLimit
            self.workLimit = workLimit
            self.totalWorkLimit = totalWorkLimit
        }

        /// The most tensor memory allowed by default: a quarter of the physical memory, at most
        /// 4 GiB (4 GiB when the physical memory is unknown).
        public static let defaultMemoryLimit: Int = {
            let cap = 4 << 30
            let physical = ProcessInfo.processInfo.physicalMemory
            return physical > 0 ? min(Int(clamping: physical / 4), cap) : cap
        }()

        /// The default per-operator work limit: 2^35 work units.
        public static let defaultWorkLimit = 1 << 35

        /// The default per-invoke work limit: 2^36 work units.
        public static let defaultTotalWorkLimit = 1 << 36

        /// Work units counted per tensor element an operator reads or writes (a multiply-add
        /// counts 1).
        public static let elementWork = 8
    }
}
