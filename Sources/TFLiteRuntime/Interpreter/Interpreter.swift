#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Runs a TFLite model: float32, float16-weight, dynamic-range, full-integer (int8/uint8) and
/// int16x8 models, with LiteRT's numbers.
///
/// Shaped like TensorFlowLiteSwift's `Interpreter`: create it, `allocateTensors()`, copy inputs,
/// `invoke()`, read outputs. Constant tensors are read in place from the mapped model;
/// activations live in one arena planned at `allocateTensors()`. Operators whose output shapes
/// depend on values the run computes (WHERE of a computed mask, UNIQUE, RANGE with computed
/// bounds, a loop body's SLICE sized by the iteration counter, and every operator reading their
/// outputs) are prepared and allocated at every `invoke()`, within the memory and work limits;
/// `invoke()` allocates nothing else. Such an output's shape is known after `invoke()`
/// (``output(at:)``, ``outputInfo(at:)``); before it, the shape the model declares.
/// One interpreter is used from one task at a time; the underlying `Model` may be shared.
public final class Interpreter {
    /// The model being run.
    public let model: Model
    /// The subgraph this interpreter runs.
    public let subgraphIndex: Int
    /// The options the interpreter was made with (threads, limits).
    public let options: Options

    private let subgraph: Subgraph
    /// The subgraph's operators as the model has them.
    private let modelNodes: [Node]
    /// The operators as they run, set at each allocation: the model's, with PADs folded into
    /// the convolutions reading them (``PadFolding``).
    private(set) var nodes: [Node]
    let tensors: TensorTable
    private(set) var kernels: [any Kernel] = []
    /// Per operator: whether it no longer runs, its only reader having been composed with it
    /// (``ElementwiseComposition``) or having taken over its padding (``PadFolding``), or it
    /// having been fused into the convolution before it (``ActivationFusion``).
    private(set) var composedAway: [Bool] = []
    /// Per operator: whether it is prepared at every `invoke()` (``prepareDeferred(_:_:)``)
    /// because its output shape depends on values the run computes.
    private(set) var deferred: [Bool] = []
    /// Per operator: whether `invoke()` skips it, decided once the allocation is done: composed
    /// away, or (not deferred) every output folded or without elements, which nothing changes
    /// until the next `allocateTensors()`. Operators without outputs (ASSIGN_VARIABLE,
    /// CALL_ONCE) always run.
    private(set) var settled: [Bool] = []
    /// The tensors as loaded (types and shapes the model declares), restored before a deferred
    /// operator prepares.
    private var loadedTensors: [RuntimeTensor] = []
    /// ``TensorTable/ownedCount`` once `allocateTensors()` is done: what deferred operators
    /// allocate past it is freed at the next `invoke()`.
    private var staticOwnedCount = 0
    /// Bytes deferred operators hold, counted in ``SubgraphFamily/deferredBytes``.
    private var deferredBytes = 0
    /// Bytes of the last allocation (arena and owned memory, not the nested interpreters'),
    /// counted in ``SubgraphFamily/staticBytes``.
    private var registeredStatic = 0
    private var arena: UnsafeMutableRawPointer?
    private var arenaSize = 0
    private var allocated = false
    private var inputShapes: [Int: [Int]] = [:]
    /// The subgraphs this interpreter's control-flow operators call, and what the interpreters
    /// of one model share (``SubgraphScope``).
    let scope: SubgraphScope

    /// Loads (maps) the model at `modelPath`.
    public convenience init(modelPath: String, options: Options = Options()) throws(InterpreterError) {
        let model: Model
        do { model = try Model(contentsOf: modelPath) } catch { throw .invalidModel(error) }
        try self.init(model: model, options: options)
    }

    /// Loads a model from bytes in memory.
    public convenience init(modelData: Data, options: Options = Options()) throws(InterpreterError) {
        let model: Model
        do { model = try Model(data: modelData) } catch { throw .invalidModel(error) }
        try self.init(model: model, options: options)
    }

    /// Runs subgraph `subgraphIndex` of an already loaded model (models can be shared between
    /// interpreters).
    public convenience init(model: Model, subgraph subgraphIndex: Int = 0, options: Options = Options()) throws(InterpreterError) {
        try self.init(model: model, subgraph: subgraphIndex, options: options,
                      scope: SubgraphScope(family: SubgraphFamily(model: model, options: options), chain: [subgraphIndex]))
    }

    /// An interpreter for `subgraphIndex` in `scope` (a subgraph another one calls, sharing its
    /// resource variables and limits).
    init(model: Model, subgraph subgraphIndex: Int, options: Options, scope: SubgraphScope) throws(InterpreterError) {
        self.scope = scope
        self.model = model
        self.options = options
        self.subgraphIndex = subgraphIndex
        guard model.subgraphs.indices.contains(subgraphIndex) else {
            throw .invalidGraph("the model has no subgraph \(subgraphIndex) (\(model.subgraphs.count) subgraphs)")
        }
        let subgraph = model.subgraphs[subgraphIndex]
        self.subgraph = subgraph
        let validated = try GraphValidator.validate(model: model, subgraphIndex: subgraphIndex)
        self.modelNodes = validated.nodes
        self.nodes = validated.nodes
        self.tensors = TensorTable(tensors: validated.tensors, pool: ThreadPool(threadCount: options.threadCount),
                                   memoryLimit: options.memoryLimit, workLimit: options.workLimit)
        tensors.subgraphs = scope
        tensors.streamsWeights = options.streamsWeights
        tensors.sparseWeights = options.sparseWeights
    }

    deinit {
        TensorMemory.free(arena)
        // The family outlives a nested interpreter a re-allocation drops.
        scope.family.deferredBytes -= deferredBytes
        scope.family.staticBytes -= registeredStatic
    }

    // MARK: Inputs and outputs

    /// The number of inputs of the subgraph.

    public var inputTensorCount: Int { subgraph.inputs.count }
    /// The number of outputs of the subgraph.
    public var outputTensorCount: Int { subgraph.outputs.count }

    /// Operator names in execution order.
    public var operatorNames: [String] { nodes.map(\.name) }

    /// Changes the shape of input `index`; takes effect at the next `allocateTensors()`.
    ///
    /// With `strict` (the default), only the dimensions the model marks dynamic (-1 in the
    /// tensor's `shape_signature`) may change, as LiteRT's `ResizeInputTensorStrict` allows; a
    /// model without a shape signature keeps its declared shape. Without it, any shape of the
    /// same rank is accepted (LiteRT's `ResizeInputTensor`), and the operators' own checks at
    /// `allocateTensors()` decide.
    public func resizeInput(at index: Int, to shape: [Int], strict: Bool = true) throws(InterpreterError) {
        let tensorIndex = try inputTensorIndex(index)
        guard shape.allSatisfy({ $0 >= 0 }), GraphValidator.elementCount(shape) != nil else {
            throw .invalidInput("shape \(shape) for input \(index) is not valid")
        }
        guard shape.count == tensors[tensorIndex].shape.count || tensors[tensorIndex].shape.isEmpty else {
            throw .invalidInput("input \(index) has rank \(tensors[tensorIndex].shape.count), not \(shape.count)")
        }
        if strict, let declared = subgraph.tensors[safe: tensorIndex] {
            let signature = declared.shapeSignature.flatMap { $0.count == declared.shape.count ? $0 : nil } ?? declared.shape
            if signature.count == shape.count,
               let fixed = zip(shape, signature).enumerated().first(where: { $0.element.1 != -1 && Int($0.element.1) != $0.element.0 }) {
                let shown = signature.map { $0 == -1 ? "?" : "\($0)" }.joined(separator: ", ")
                throw .invalidInput("input \(index) (\"\(DisplayText.quoted(declared.name))\") has shape [\(shown)]: dimension \(fixed.offset) is fixed at \(fixed.element.1), not \(fixed.element.0)")
            }
        }
        inputShapes[tensorIndex] = shape
        allocated = false
    }

    /// Prepares every operator (checking it is supported and its inputs fit), plans memory and
    /// allocates the arena, phase by phase: load the tensors (with resized inputs), verify them
    /// against the memory cap, validate that every operator has a kernel, prepare each operator
    /// and fold those whose inputs are constant, compose elementwise pairs, plan the arena (PADs
    /// are folded into the convolutions reading them before the kernels are made).
    /// `invoke()` is refused until every phase has passed.
    public func allocateTensors() throws(InterpreterError) {
        releaseAllocation()
        try loadTensors()
        try verifyTensors()
        let subgraphOutputs = Set(subgraph.outputs.map { Int($0) })
        let padding = PadFolding.fold(modelNodes, tensors: tensors, subgraphOutputs: subgraphOutputs)
        nodes = padding.nodes
        let kernels = try makeKernels()
        let work = try prepareAndFold(kernels)
        composedAway = ElementwiseComposition.compose(kernels, nodes: nodes, subgraphOutputs: subgraphOutputs, excluding: deferred)
        for (position, folded) in padding.folded.enumerated() where folded { composedAway[position] = true }
        let planned = ActivationFusion.fuse(kernels, nodes: nodes, tensors: tensors, subgraphOutputs: subgraphOutputs,
                                            excluding: deferred, composedAway: &composedAway)
        try planArena(planned)
        settled = nodes.indices.map { position in
            if composedAway[position] { return true }
            let node = nodes[position]
            // Folded outputs are already computed; outputs without elements have nothing to
            // compute (kernels would still walk a hostile empty tensor's outer dimensions).
            return !deferred[position] && !node.outputs.isEmpty
                && node.outputs.allSatisfy { $0 < 0 || tensors[$0].storage == .folded || tensors[$0].elementCount == 0 }
        }
        self.kernels = kernels
        plannedWork = work
        staticOwnedCount = tensors.ownedCount
        registeredStatic = arenaSize + tensors.ownedBytes
        scope.family.staticBytes += registeredStatic
        allocated = true
    }

    // MARK: Allocation phases

    /// Frees the arena and everything owned by the last allocation.
    private func releaseAllocation() {
        TensorMemory.free(arena)
        arena = nil
        arenaSize = 0
        allocated = false
        scope.family.staticBytes -= registeredStatic
        registeredStatic = 0
        // Control-flow kernels hold the nested interpreters: dropped with them.
        kernels = []
        releaseDeferred()
        tensors.releaseOwned()
        scope.childBytes = 0
        deferred = []
        settled = []
    }

    /// Load: the subgraph's tensors afresh from the (validated) model, with the shapes
    /// `resizeInput(at:to:)` asked for.
    private func loadTensors() throws(InterpreterError) {
        tensors.tensors = try GraphValidator.validate(model: model, subgraphIndex: subgraphIndex).tensors
        for (index, shape) in inputShapes {
            tensors[index].shape = shape
            tensors[index].byteCount = try GraphValidator.byteCount(of: tensors[index], shape: shape)
        }
        loadedTensors = tensors.tensors
    }

    /// Verify: constant data is aligned for its type, and no non-constant tensor whose size is
    /// already known alone exceeds the memory cap (it could not fit the arena: refused before
    /// kernels spend time preparing around it).
    private func verifyTensors() throws(InterpreterError) {
        try GraphValidator.alignConstants(tensors)
        for tensor in tensors.tensors where !tensor.isConstant && tensor.byteCount > options.memoryLimit {
            throw .memoryLimitExceeded(required: tensor.byteCount, limit: options.memoryLimit)
        }
    }

    /// Validate: a kernel for every operator (parsing its options), so an unsupported operator
    /// fails before anything is prepared or runs.
    private func makeKernels() throws(InterpreterError) -> [any Kernel] {
        var kernels: [any Kernel] = []
        kernels.reserveCapacity(nodes.count)
        for node in nodes {
            let code = model.operatorCodes[safe: Int(subgraph.operators[node.index].opcodeIndex)]
            if let code, code.builtinCode == .custom, let make = options.customOperators.factory(for: code.customCode ?? "") {
                kernels.append(CustomOperatorKernel(node, make()))
                continue
            }
            guard let code, let factory = KernelRegistry.factory(for: code) else {
                throw .unsupportedOperator(name: node.name, index: node.index, reason: "no kernel for this operator")
            }
            kernels.append(try factory(node))
        }
        return kernels
    }

    /// Prepare and fold, operator by operator in execution order (a later operator may read an
    /// earlier one's folded output while it prepares): prepares each kernel within the work
    /// limits, lets the mapped pages of weights it packed go, sizes its outputs, and runs it now
    /// if its inputs are all constant. Returns the work units one `invoke()` does (folded
    /// operators included: they ran here).
    private func prepareAndFold(_ kernels: [any Kernel]) throws(InterpreterError) -> Int {
        var totalWork = 0
        deferred = Array(repeating: false, count: nodes.count)
        // Operators whose output shapes depend on values the run computes (WHERE of a computed
        // mask, a loop body's slices sized by the iteration counter) prepare at invoke, as
        // LiteRT's dynamic tensors do.
        tensors.deferralAllowed = true
        tensors.deferredRequest = nil
        for (position, (node, kernel)) in zip(nodes, kernels).enumerated() {
            // An operator reading a deferred output, or whose prepare asked for values only the
            // run computes (`TensorTable.deferToRunTime`), prepares at invoke.
            if tensors.deferralAllowed, node.inputs.contains(where: { $0 >= 0 && tensors[$0].storage == .deferred }) {
                markDeferred(node)
                deferred[position] = true
                continue
            }
            let work: Int
            do {
                work = try prepare(kernel, of: node)
            } catch {
                guard tensors.deferredRequest == node.index else { throw error }
                tensors.deferredRequest = nil
                markDeferred(node)
                deferred[position] = true
                continue
            }
            totalWork = WorkCount.add(totalWork, work)
            if totalWork > options.totalWorkLimit {
                throw .totalWorkLimitExceeded(name: node.name, index: node.index, required: totalWork, limit: options.totalWorkLimit)
            }
            releaseCopiedConstants(of: kernel)
            for output in node.outputs where output >= 0 {
                tensors[output].byteCount = try GraphValidator.byteCount(of: tensors[output], shape: tensors[output].shape)
            }
            try foldIfConstant(kernel, of: node)
        }
        return totalWork
    }

    /// Marks `node`'s outputs ``RuntimeTensor/Storage/deferred`` (left out of the arena), as
    /// the model declares them until the operator prepares at invoke.
    private func markDeferred(_ node: Node) {
        for output in node.outputs where output >= 0 {
            tensors[output] = loadedTensors[output]
            tensors[output].storage = .deferred
        }
    }

    /// Prepares one kernel; returns its work units, refused above ``Options/workLimit``.
    private func prepare(_ kernel: any Kernel, of node: Node) throws(InterpreterError) -> Int {
        tensors.reportedWork = 0
        try kernel.prepare(tensors)
        let work = WorkCount.ofOperator(node, reported: tensors.reportedWork, tensors: tensors)
        if work > options.workLimit {
            throw .workLimitExceeded(name: node.name, index: node.index, required: work, limit: options.workLimit)
        }
        return work
    }

    /// Weights packed into the kernel's own layout need not stay resident in the mapped file
    /// (released as each kernel packs, so the two copies never all coexist).
    func releaseCopiedConstants(of kernel: any Kernel) {
        for index in kernel.copiedConstants where tensors.indices.contains(index) {
            let tensor = tensors[index]
            if tensor.isConstant, tensor.storage == .constant, let data = tensor.data {
                model.storage.releasePages(data, byteCount: tensor.byteCount)
            }
        }
    }

    /// Fold: an operator whose inputs are all constant (and whose outputs are not) runs once
    /// here, into persistent memory; `invoke()` skips it.
    private func foldIfConstant(_ kernel: any Kernel, of node: Node) throws(InterpreterError) {
        let inputsConstant = node.inputs.allSatisfy { $0 < 0 || tensors[$0].isConstant }
        let foldable = inputsConstant && !node.inputs.isEmpty && !node.outputs.isEmpty
            && node.outputs.allSatisfy { $0 >= 0 && !tensors[$0].isConstant }
        guard foldable else { return }
        for output in node.outputs { try tensors.allocateTensor(output, as: .folded) }
        try kernel.run(tensors)
    }

    /// Plan: variables get persistent memory; every other tensor still without storage gets an
    /// offset in one arena (``ArenaPlanner``), refused when the arena and owned memory together
    /// pass ``Options/memoryLimit``. Lifetimes are those of `planned`, the nodes as they run (a
    /// convolution with a fused activation also writes the activation's output, ``ActivationFusion``).
    private func planArena(_ planned: [Node]) throws(InterpreterError) {
        let requests = ArenaPlanner.requests(nodes: planned, subgraphInputs: subgraph.inputs, subgraphOutputs: subgraph.outputs,
                                             tensors: tensors.tensors)
        for (index, tensor) in tensors.tensors.enumerated() where tensor.isVariableTensor && tensor.storage == .none {
            try tensors.allocateTensor(index, as: .variable)
            // LiteRT starts int8 variables at their zero point (real 0), others at 0.
            if tensors[index].type == .int8, let zero = tensors[index].quantization?.zeroPoint, zero != 0, let data = tensors[index].data {
                data.initializeMemory(as: Int8.self, repeating: Int8(clamping: zero), count: tensors[index].byteCount)
            }
        }
        let plan = ArenaPlanner.plan(requests)
        // The arena, memory owned for constants and kernels, and what called subgraphs hold.
        let (required, overflow) = plan.size.addingReportingOverflow(tensors.ownedBytes &+ scope.childBytes)
        if overflow || required > options.memoryLimit {
            throw .memoryLimitExceeded(required: overflow ? Int.max : required, limit: options.memoryLimit)
        }
        let arena = try TensorMemory.allocate(byteCount: plan.size)
        self.arena = arena
        arenaSize = plan.size
        for (index, offset) in plan.offsets {
            tensors[index].data = arena + offset
            tensors[index].storage = .arena
        }
    }

    /// The work units (see ``Options``) one `invoke()` does, all operators together, as counted
    /// against ``Options/totalWorkLimit`` at the last `allocateTensors()`.
    public private(set) var plannedWork = 0

    /// Bytes of the activation arena plus memory owned for folded constants and kernels.
    public var allocatedBytes: Int { arenaSize + tensors.ownedBytes + scope.childBytes }

    /// Copies `data` into input `index`; its size must match the input's byte size.
    @discardableResult
    public func copy(_ data: Data, toInputAt index: Int) throws(InterpreterError) -> Tensor {
        let tensorIndex = try inputTensorIndex(index)
        try requireAllocated()
        let tensor = tensors[tensorIndex]
        guard data.count == tensor.byteCount else {
            throw .invalidInput("input \(index) (\(DisplayText.quoted(tensor.name))) takes \(tensor.byteCount) bytes (\(tensor.type) \(tensor.shape)), got \(data.count)")
        }
        if let destination = tensor.data, !data.isEmpty {
            data.withUnsafeBytes { raw in
                if let source = raw.baseAddress { destination.copyMemory(from: source, byteCount: raw.count) }
            }
        }
        return snapshot(tensorIndex)
    }

    /// Writes input `index` in place through `body` (no copy).
    public func withInput<R>(at index: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) throws -> R {
        let tensorIndex = try inputTensorIndex(index)
        try requireAllocated()
        return try body(tensors[tensorIndex].bytes)
    }

    /// Reads output `index` in place through `body` (no copy). Valid after `invoke()`.
    public func withOutput<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let tensorIndex = try outputTensorIndex(index)
        try requireAllocated()
        return try body(UnsafeRawBufferPointer(tensors[tensorIndex].bytes))
    }

    /// Runs the model on the current inputs.
    public func invoke() throws(InterpreterError) {
        try beginInvoke()
        // By position, without copying each node: per-operator cost counts on models of a
        // hundred sub-microsecond operators. The tables are read once into locals (only
        // allocateTensors() changes them), so the loop pays no exclusivity check or reference
        // count per operator for them.
        let streamsWeights = options.streamsWeights
        let kernels = self.kernels, settled = self.settled, deferred = self.deferred, tensors = self.tensors
        for position in kernels.indices where !settled[position] {
            let kernel = kernels[position]
            if deferred[position] {
                try runDeferred(nodes[position], kernel)
                continue
            }
            try kernel.run(tensors)
            if streamsWeights { releaseCopiedConstants(of: kernel) }
        }
    }

    /// What every way of invoking does first: checks the allocation, starts the run's work
    /// count (top level) and what kernels share for one run, and frees what deferred operators took at the last run.
    func beginInvoke() throws(InterpreterError) {
        try requireAllocated()
        if scope.chain.count == 1 { scope.family.beginRun(planned: plannedWork) }
        tensors.beginRun()
        releaseDeferred()
    }

    /// Prepares and runs a deferred operator (``prepareDeferred(_:_:)``), counting what it
    /// allocates while it runs (a WHILE growing its loop values) like what it took at prepare.
    func runDeferred(_ node: Node, _ kernel: any Kernel) throws(InterpreterError) {
        try prepareDeferred(node, kernel)
        let before = tensors.ownedBytes
        try kernel.run(tensors)
        try countDeferred(tensors.ownedBytes - before, node: node)
    }

    /// Prepares a deferred operator now that its inputs are computed: restores its outputs'
    /// declared types and shapes, prepares it with its inputs' values readable, counts its work
    /// against ``Options/workLimit`` and the run's total, and allocates its outputs, counted
    /// against the memory limit with everything the interpreter tree holds.
    func prepareDeferred(_ node: Node, _ kernel: any Kernel) throws(InterpreterError) {
        for output in node.outputs where output >= 0 {
            tensors[output] = loadedTensors[output]
            tensors[output].storage = .deferred
        }
        tensors.valuesAvailable = true
        defer { tensors.valuesAvailable = false }
        let before = tensors.ownedBytes
        let work: Int
        do {
            work = try prepare(kernel, of: node)
        } catch .memoryLimitExceeded(let required, let limit) {
            throw Self.memoryError(node, required: required, limit: limit)
        }
        try scope.family.charge(work, node: node)
        for output in node.outputs where output >= 0 {
            tensors[output].byteCount = try GraphValidator.byteCount(of: tensors[output], shape: tensors[output].shape)
            do {
                tensors[output].data = try tensors.allocatePersistent(byteCount: tensors[output].byteCount)
            } catch .memoryLimitExceeded(let required, let limit) {
                throw Self.memoryError(node, required: required, limit: limit)
            }
        }
        try countDeferred(tensors.ownedBytes - before, node: node)
    }

    /// Counts `added` bytes a deferred operator took (at prepare or while running) in this
    /// interpreter's and the tree's deferred memory, refused past either memory limit with an
    /// error naming the operator.
    func countDeferred(_ added: Int, node: Node) throws(InterpreterError) {
        deferredBytes += added
        scope.family.deferredBytes += added
        let total = scope.family.staticBytes &+ scope.family.deferredBytes
        let own = allocatedBytes
        if total > scope.family.options.memoryLimit || own > options.memoryLimit {
            throw Self.memoryError(node, required: max(total, own),
                                   limit: own > options.memoryLimit ? options.memoryLimit : scope.family.options.memoryLimit)
        }
    }

    /// The memory limit met at run time by an operator prepared at `invoke()` (a hostile RANGE
    /// limit, a loop value that keeps growing): names the operator, unlike the planning error.
    static func memoryError(_ node: Node, required: Int, limit: Int) -> InterpreterError {
        node.failure("its outputs, sized by values computed at run time, need \(InterpreterError.figure(required, unit: "bytes")) of tensor memory with the rest of the model, over the memory limit of \(InterpreterError.figure(limit, unit: "bytes")) (raise it with Interpreter.Options.memoryLimit or tflrun --memory-limit)")
    }

    /// Frees what deferred operators allocated at the last `invoke()`.
    func releaseDeferred() {
        guard deferredBytes > 0 || tensors.ownedCount > staticOwnedCount else { return }
        tensors.releaseOwned(downTo: staticOwnedCount)
        scope.family.deferredBytes -= deferredBytes
        deferredBytes = 0
    }

    /// Input `index`.
    public func input(at index: Int) throws(InterpreterError) -> Tensor {
        snapshot(try inputTensorIndex(index))
    }

    /// Output `index` (its data is a copy).
    public func output(at index: Int) throws(InterpreterError) -> Tensor {
        snapshot(try outputTensorIndex(index))
    }

    /// Input `index`'s name, type, shape and quantization, without copying its data.
    public func inputInfo(at index: Int) throws(InterpreterError) -> Tensor.Info {
        Tensor.Info(try inputTensor(at: index))
    }

    /// Output `index`'s name, type, shape and quantization, without copying its data.
    public func outputInfo(at index: Int) throws(InterpreterError) -> Tensor.Info {
        Tensor.Info(try outputTensor(at: index))
    }

    /// The interpreter's own view of input `index` (where its bytes are, its quantization).
    package func inputTensor(at index: Int) throws(InterpreterError) -> RuntimeTensor {
        tensors[try inputTensorIndex(index)]
    }

    /// The interpreter's own view of output `index`.
    package func outputTensor(at index: Int) throws(InterpreterError) -> RuntimeTensor {
        tensors[try outputTensorIndex(index)]
    }

    // MARK: Private

    /// Whether `allocateTensors()` has passed since the last change of input shapes.
    var isAllocated: Bool { allocated }

    func requireAllocated() throws(InterpreterError) {
        guard allocated else { throw .invalidState("allocateTensors() must be called first (and after resizeInput)") }
    }

    private func inputTensorIndex(_ index: Int) throws(InterpreterError) -> Int {
        guard subgraph.inputs.indices.contains(index) else {
            throw .invalidState("input index \(index) is out of range (\(subgraph.inputs.count) inputs)")
        }
        return Int(subgraph.inputs[index])
    }

    private func outputTensorIndex(_ index: Int) throws(InterpreterError) -> Int {
        guard subgraph.outputs.indices.contains(index) else {
            throw .invalidState("output index \(index) is out of range (\(subgraph.outputs.count) outputs)")
        }
        return Int(subgraph.outputs[index])
    }

    private func snapshot(_ index: Int) -> Tensor {
        let tensor = tensors[index]
        let data = tensor.data.map { Data(bytes: $0, count: tensor.byteCount) } ?? Data()
        return Tensor(name: tensor.name, dataType: Tensor.DataType(tensor.type), type: tensor.type, shape: tensor.shape,
                      data: data, quantizationParameters: tensor.quantization.map(Tensor.QuantizationParameters.init))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
