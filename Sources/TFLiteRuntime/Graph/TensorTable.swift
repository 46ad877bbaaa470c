import TFLiteModel

/// All tensors of the subgraph being run, plus memory owned for the interpreter's life
/// (folded constants, kernels' scratch and packed weights, variables).
///
/// Kernels read their inputs and write their outputs through this table.
package final class TensorTable {
    /// The tensors, in a buffer of their own: ``subscript(_:)`` reads them in place (an array's
    /// getter would copy the tensor, a reference count up and down per access, on every
    /// operator's every input and output at each run).
    private var storage: UnsafeMutablePointer<RuntimeTensor>
    /// How many tensors there are.
    package private(set) var count: Int

    /// All tensors, as an array (a copy; setting replaces every tensor).
    package var tensors: [RuntimeTensor] {
        get { Array(UnsafeBufferPointer(start: storage, count: count)) }
        set {
            let replacement = Self.store(newValue)
            storage.deinitialize(count: count)
            storage.deallocate()
            storage = replacement
            count = newValue.count
        }
    }

    private static func store(_ tensors: [RuntimeTensor]) -> UnsafeMutablePointer<RuntimeTensor> {
        let pointer = UnsafeMutablePointer<RuntimeTensor>.allocate(capacity: max(tensors.count, 1))
        _ = UnsafeMutableBufferPointer(start: pointer, count: tensors.count).initialize(from: tensors)
        return pointer
    }
    /// Runs parallel loops on the interpreter's threads.
    package let pool: ThreadPool
    private var owned: [(pointer: UnsafeMutableRawPointer, byteCount: Int)] = []
    /// Bytes owned (counted against the memory limit).
    package private(set) var ownedBytes = 0
    let memoryLimit: Int?
    /// The most work units one operator may do per invoke (`Interpreter.Options.workLimit`).
    let workLimit: Int
    /// Work units the kernel being prepared reported through ``checkWork(_:node:)`` and
    /// ``checkReads(_:node:)`` (the interpreter adds the elements the operator reads and
    /// writes, checks the sum and resets it).
    var reportedWork = 0
    /// Whether an operator whose output shape depends on computed values may be prepared at
    /// `invoke()` instead (``deferToRunTime(_:_:)``): set for subgraphs control flow calls.
    var deferralAllowed = false
    /// Whether the kernel being prepared may read its non-constant inputs' values (an operator
    /// prepared at `invoke()`, after the operators before it ran).
    var valuesAvailable = false
    /// The node whose prepare last asked to be prepared at `invoke()`.
    var deferredRequest: Int?
    /// How control-flow kernels run the model's other subgraphs (set by the interpreter).
    var subgraphs: SubgraphScope?
    /// Float inputs hybrid convolutions quantized in the current run, shared between them.
    let hybridInputs = HybridInputShare()

    /// Starts a run (at every `invoke()`, and whenever memory is freed): what kernels shared for
    /// one run (``hybridInputs``) is stale from here on.
    func beginRun() { hybridInputs.beginRun() }

    init(tensors: [RuntimeTensor], pool: ThreadPool, memoryLimit: Int?, workLimit: Int = Interpreter.Options.defaultWorkLimit) {
        storage = Self.store(tensors)
        count = tensors.count
        self.pool = pool
        self.memoryLimit = memoryLimit
        self.workLimit = workLimit
    }

    /// Counts an operator's multiply-adds (`factors` multiplied together, one work unit each)
    /// and refuses them when they alone pass the per-operator work limit.
    package func checkWork(_ factors: Int..., node: Node) throws(InterpreterError) {
        try count(factors, weight: 1, node: node)
    }

    /// Counts input values an operator reads beyond its plain pass over its tensors (a pooling
    /// window read at every output: `factors` multiplied together), each as
    /// `Interpreter.Options.elementWork` work units, and refuses them when they alone pass the
    /// per-operator work limit.
    package func checkReads(_ factors: Int..., node: Node) throws(InterpreterError) {
        try count(factors, weight: Interpreter.Options.elementWork, node: node)
    }

    private func count(_ factors: [Int], weight: Int, node: Node) throws(InterpreterError) {
        var total = weight
        for factor in factors {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(0, factor))
            if overflow { throw .workLimitExceeded(name: node.name, index: node.index, required: Int.max, limit: workLimit) }
            total = product
        }
        if total > workLimit { throw .workLimitExceeded(name: node.name, index: node.index, required: total, limit: workLimit) }
        reportedWork = WorkCount.add(reportedWork, total)
    }

    deinit {
        releaseOwned()
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Tensor `index`, borrowed in place (reading a field or passing the tensor on copies
    /// nothing). An index out of range stops the program, as an array's would.
    package subscript(index: Int) -> RuntimeTensor {
        unsafeAddress {
            precondition(index >= 0 && index < count, "tensor index out of range")
            return UnsafePointer(storage + index)
        }
        unsafeMutableAddress {
            precondition(index >= 0 && index < count, "tensor index out of range")
            return storage + index
        }
    }

    /// The valid tensor indices.
    package var indices: Range<Int> { 0..<count }

    /// Allocates zeroed memory that lives as long as the interpreter (or until the next
    /// `allocateTensors()`), aligned to `alignment` bytes (a power of two; at least 64),
    /// counting it against the memory limit.
    package func allocatePersistent(byteCount: Int, alignment: Int = 64) throws(InterpreterError) -> UnsafeMutableRawPointer {
        let size = max(byteCount, 1)
        let (total, overflow) = ownedBytes.addingReportingOverflow(size)
        if overflow { throw .memoryLimitExceeded(required: Int.max, limit: memoryLimit ?? Int.max) }
        if let memoryLimit, total > memoryLimit {
            throw .memoryLimitExceeded(required: total, limit: memoryLimit)
        }
        let pointer = try TensorMemory.allocate(byteCount: size, alignment: alignment)
        owned.append((pointer, size))
        ownedBytes = total
        return pointer
    }

    /// Whether a kernel being prepared can read `tensor`'s values: a constant (or folded
    /// result), or any computed input of an operator prepared at `invoke()`.
    package func valuesKnown(_ tensor: RuntimeTensor) -> Bool {
        tensor.isConstant || (valuesAvailable && tensor.data != nil)
    }

    /// The error of a kernel whose output shape needs `node`'s non-constant input values
    /// (`reason` says which): where deferral is allowed, the interpreter takes it as a request
    /// to prepare the operator at `invoke()` instead of refusing the model.
    package func deferToRunTime(_ node: Node, _ reason: String) -> InterpreterError {
        if deferralAllowed { deferredRequest = node.index }
        return node.unsupported(reason)
    }

    /// How many allocations the table owns (a mark for ``releaseOwned(downTo:)``).
    var ownedCount: Int { owned.count }

    /// Frees the allocations made after `mark` (what operators prepared at `invoke()` took).
    func releaseOwned(downTo mark: Int) {
        beginRun()
        while owned.count > max(0, mark), let last = owned.popLast() {
            TensorMemory.free(last.pointer)
            ownedBytes -= last.byteCount
        }
    }

    /// Allocates persistent storage for tensor `index` (its current shape and type) and marks it
    /// with `storage`.
    func allocateTensor(_ index: Int, as storage: RuntimeTensor.Storage) throws(InterpreterError) {
        let byteCount = self[index].byteCount
        self[index].data = try allocatePersistent(byteCount: byteCount)
        self[index].storage = storage
    }

    /// ``Interpreter/Options/streamsWeights``: kernels pack constant weights at each run into
    /// ``streamingBuffer(byteCount:)`` instead of keeping their own packed copy.
    package var streamsWeights = false
    /// ``Interpreter/Options/sparseWeights``: mostly-zero constant float weights run on the
    /// sparse kernels.
    package var sparseWeights = true
    private var streaming: UnsafeMutableRawPointer?
    private var streamingBytes = 0

    /// The buffer the kernels share for weights packed at run time (``streamsWeights``), grown
    /// to `byteCount` when smaller (kernels ask at prepare, so runs never grow it) and counted
    /// against the memory limit. Its contents last until the next kernel asks for it.
    package func streamingBuffer(byteCount: Int) throws(InterpreterError) -> UnsafeMutableRawPointer {
        if let streaming, byteCount <= streamingBytes { return streaming }
        let size = max(byteCount, 1)
        let (total, overflow) = (ownedBytes - streamingBytes).addingReportingOverflow(size)
        if overflow { throw .memoryLimitExceeded(required: Int.max, limit: memoryLimit ?? Int.max) }
        if let memoryLimit, total > memoryLimit { throw .memoryLimitExceeded(required: total, limit: memoryLimit) }
        let pointer = try TensorMemory.allocate(byteCount: size, alignment: 64)
        if let streaming { TensorMemory.free(streaming) }
        streaming = pointer
        ownedBytes = total
        streamingBytes = size
        return pointer
    }

    func releaseOwned() {
        beginRun()
        for allocation in owned { TensorMemory.free(allocation.pointer) }
        owned.removeAll()
        if let streaming { TensorMemory.free(streaming) }
        streaming = nil
        streamingBytes = 0
        ownedBytes = 0
    }
}
