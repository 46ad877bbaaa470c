/// Float tensors hybrid convolutions quantized per batch during the current run, so a second
/// convolution reading the same tensor (an Inception module's branches) reuses the bytes, the
/// scales and the zero points instead of quantizing it again: they would come out the same, as
/// they are computed from the same values.
///
/// An entry holds for one run: ``TensorTable/beginRun()`` (at every `invoke()` and whenever the
/// table frees memory) starts a new run, and entries of earlier runs are ignored. Within a run
/// a tensor is written once, by its producer, before any reader runs.
final class HybridInputShare {
    struct Entry {
        var run: UInt64
        /// The float values quantized, where they lay.
        var data: UnsafeRawPointer
        var count: Int
        var batches: Int
        var asymmetric: Bool
        /// The owner's persistent buffers (they live as long as the table's allocation).
        var quantized: UnsafePointer<Int8>
        var scales: UnsafePointer<Float>
        var offsets: UnsafePointer<Int32>
    }

    private var entries: [Int: Entry] = [:]
    private(set) var run: UInt64 = 1

    /// Starts a new run: every entry published so far is stale.
    func beginRun() {
        run &+= 1
    }

    /// The quantization of tensor `index` published in this run for the same values and form.
    func lookup(_ index: Int, data: UnsafeRawPointer, count: Int, batches: Int, asymmetric: Bool) -> Entry? {
        guard let entry = entries[index], entry.run == run, entry.data == data, entry.count == count,
              entry.batches == batches, entry.asymmetric == asymmetric else { return nil }
        return entry
    }

    /// Publishes tensor `index`'s quantization for the rest of this run.
    func publish(_ index: Int, data: UnsafeRawPointer, count: Int, batches: Int, asymmetric: Bool,
                 quantized: UnsafePointer<Int8>, scales: UnsafePointer<Float>, offsets: UnsafePointer<Int32>) {
        entries[index] = Entry(run: run, data: data, count: count, batches: batches, asymmetric: asymmetric,
                               quantized: quantized, scales: scales, offsets: offsets)
    }
}
