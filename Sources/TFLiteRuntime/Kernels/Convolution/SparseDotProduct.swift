import CTFLiteKernels
import TFLiteModel

/// The exact int32 sums Σ x·w of ``DotProductConv`` (int8 and hybrid) from constant int8 weights
/// that are zero in whole runs of 16 input channels, as block-sparse products (`tfl_sparse_s8`):
/// the converter's `EXPERIMENTAL_SPARSITY` FULLY_CONNECTED weights (1 × 16 blocks, expanded at
/// prepare by ``SparseWeights``), or any pruned weights whose zeros come in such runs. Only the
/// blocks holding a nonzero weight are kept, encoded once at prepare, so a layer reads a fraction
/// of its weights. The sums are the dense GEMM's exactly, so outputs do not change.
final class SparseDotProduct {
    /// The largest fraction of nonzero blocks this path takes at one row: measured with
    /// `scripts/bench/kernels.sh 30 sparse_s8` (AVX-512 VNNI), the row-by-row product takes
    /// 0.38–0.55× the dense GEMM's time at 20 % of the blocks, 0.72–0.88× at 40 % and 1.1–1.2×
    /// at 50 %. With the AVX2 kernels the row product wins by more (0.37–0.49× at 40 %), so the
    /// limit is conservative there; on NEON it is unmeasured.
    static let densityLimit = 0.4

    /// The largest fraction of nonzero blocks this path takes over ``minimumRows`` rows or more,
    /// where the CPU multiplies a tile of rows at once (`tfl_sparse_s8_multirow`): 0.45–0.6× the
    /// dense time at 20 %, 1.1–1.2× at 30 %, on the same shapes at 16 and 64 rows.
    static let multirowDensityLimit = 0.25

    /// The fewest rows (pixels) the tiled product takes: one full tile. Between one row and a
    /// tile, both products lose to the dense GEMM, which reuses each weight over its rows.
    static let minimumRows = Int(TFL_SPARSE_S8_TILE_ROWS)

    /// The encoding of `weights` (`[channels][depth]`, constant) when the path suits them: enough
    /// depth for one block, one row or a tile of rows on a CPU that multiplies several at once,
    /// the interpreter not told to stream weights or keep them dense, and few enough nonzero
    /// blocks; nil otherwise. `columnSums[j]` receives Σ_k w[j][k] when it is taken.
    static func prepare(_ tensors: TensorTable, weights: UnsafePointer<Int8>, channels: Int, depth: Int, pixels: Int,
                        columnSums: UnsafeMutablePointer<Int32>, node: Node) throws(InterpreterError) -> SparseDotProduct? {
        let blockSize = Int(TFL_SPARSE_S8_BLOCK)
        guard tensors.sparseWeights, !tensors.streamsWeights, depth >= blockSize, channels > 0, pixels > 0 else { return nil }
        let limit: Double
        if pixels == 1 {
            limit = densityLimit
        } else if pixels >= minimumRows, tfl_sparse_s8_multirow(depth) != 0 {
            limit = multirowDensityLimit
        } else {
            return nil
        }
        let (count, overflow) = channels.multipliedReportingOverflow(by: depth)
        guard !overflow, count <= Int(Int32.max) else { return nil }
        let rowBlocks = (depth + blockSize - 1) / blockSize
        let blocks = tfl_sparse_s8_count(weights, channels, depth)
        guard Double(blocks) <= limit * Double(channels * rowBlocks) else { return nil }
        let starts = try ConvSupport.persistent(tensors, Int32.self, count: channels + 1, node: node)
        let index = try ConvSupport.persistent(tensors, Int32.self, count: max(blocks, 1), node: node)
        let values = try ConvSupport.persistent(tensors, Int8.self, count: max(blocks, 1) * blockSize, node: node)
        tfl_sparse_s8_encode(weights, channels, depth, starts, index, values, columnSums)
        return SparseDotProduct(node: node, starts: starts, index: index, values: values, columnSums: columnSums, depth: depth,
                                channels: channels)
    }

    private let node: Node
    private let starts: UnsafeMutablePointer<Int32>
    private let index: UnsafeMutablePointer<Int32>
    private let values: UnsafeMutablePointer<Int8>
    private let columnSums: UnsafeMutablePointer<Int32>
    private let depth: Int
    private let channels: Int
    private var scratch: UnsafeMutablePointer<Int32>?
    private var scratchStride = 0

    private init(node: Node, starts: UnsafeMutablePointer<Int32>, index: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Int8>,
                 columnSums: UnsafeMutablePointer<Int32>, depth: Int, channels: Int) {
        self.node = node
        self.starts = starts
        self.index = index
        self.values = values
        self.columnSums = columnSums
        self.depth = depth
        self.channels = channels
    }

    /// Allocates the staging scratch of `slots` calls running at once, where rows go a tile at a
    /// time (`pixels` of ``minimumRows`` or more); one row needs none.
    func allocateScratch(_ tensors: TensorTable, pixels: Int, slots: Int) throws(InterpreterError) {
        guard pixels >= Self.minimumRows else { return }
        scratchStride = ConvSupport.slotStride(tfl_sparse_s8_scratch_count(depth), of: Int32.self, slots: slots)
        scratch = try ConvSupport.slots(tensors, Int32.self, stride: scratchStride, slots: slots, node: node)
    }

    /// The sums of `pixels` rows of `x` (`depth` apart), split over the pool in `chunks` chunks of
    /// whole tiles; calls `finish(sums, firstRow, rowCount)` for each tile with its rows' sums
    /// (`accStride` apart) in its chunk's accumulator slot (`accumulatorStride` apart, room for a
    /// tile).
    func multiply(_ tensors: TensorTable, x: UnsafePointer<Int8>, pixels: Int, chunks: Int, accumulators: UnsafeMutablePointer<Int32>,
                  accumulatorStride: Int, accStride: Int, finish: (UnsafeMutablePointer<Int32>, Int, Int) -> Void) throws(InterpreterError) {
        let scratch = self.scratch
        let tile = Self.minimumRows
        let tiles = (pixels + tile - 1) / tile
        let depth = self.depth, channels = self.channels, scratchStride = self.scratchStride
        let starts = self.starts, index = self.index, values = self.values, columnSums = self.columnSums
        ConvSupport.forEachChunk(tensors, rows: tiles, chunks: chunks) { chunk, range in
            let acc = accumulators + chunk * accumulatorStride
            for t in range {
                let first = t * tile, count = min(tile, pixels - first)
                tfl_sparse_s8(acc, accStride, x + first * depth, depth, count, starts, index, values, columnSums, depth, channels,
                              scratch.map { $0 + chunk * scratchStride })
                finish(acc, first, count)
            }
        }
    }

    /// The sums of all `pixels` rows of `x` for each of `shares` shares of the output channels
    /// (whole ``ConvSupport/channelBlock`` blocks), split over the pool; calls
    /// `finish(channels)` for each share once `accumulators` (rows `accStride` apart) holds them.
    func multiplyByChannels(_ tensors: TensorTable, x: UnsafePointer<Int8>, pixels: Int, shares: Int,
                            accumulators: UnsafeMutablePointer<Int32>, accStride: Int,
                            finish: (Range<Int>) -> Void) throws(InterpreterError) {
        let scratch = self.scratch
        let depth = self.depth, channels = self.channels, scratchStride = self.scratchStride
        let starts = self.starts, index = self.index, values = self.values, columnSums = self.columnSums
        let block = ConvSupport.channelBlock
        let blocks = (channels + block - 1) / block
        tensors.pool.parallelFor(shares) { range in
            for share in range {
                let first = blocks * share / shares * block
                let end = min(blocks * (share + 1) / shares * block, channels)
                if first >= end { continue }
                tfl_sparse_s8(accumulators + first, accStride, x, depth, pixels, starts + first, index, values, columnSums + first, depth,
                              end - first, scratch.map { $0 + share * scratchStride })
                finish(first..<end)
            }
        }
    }
}
