import TFLiteModel

/// What one interpreter's control-flow kernels (WHILE, IF, CALL_ONCE) need to run other
/// subgraphs of the model: a nested interpreter per called subgraph, within the calling
/// interpreter's limits.
///
/// Every interpreter of one top-level interpreter's tree shares a ``SubgraphFamily`` (the
/// model, the options, the resource variables, the work a run has done). Each scope knows the
/// chain of subgraphs that led to it, so a subgraph that calls itself, directly or through
/// others, is refused, as is nesting deeper than ``SubgraphFamily/maximumDepth``. Memory: a
/// nested interpreter may take only what the caller has left (its limit minus the memory it
/// and its earlier callees hold), and the caller counts what its callees took
/// (``childBytes``) against its own limit, so the whole tree stays within
/// ``Interpreter/Options/memoryLimit``.
final class SubgraphScope {
    let family: SubgraphFamily
    /// Subgraph indices from the top-level interpreter's down to this one's.
    let chain: [Int]
    /// Bytes the nested interpreters created at the last `allocateTensors()` hold.
    var childBytes = 0

    init(family: SubgraphFamily, chain: [Int]) {
        self.family = family
        self.chain = chain
    }

    /// A prepared interpreter for `subgraph`, called by `node`, with its inputs resized to
    /// `inputShapes`, allocated within what `tensors`' owner has left of the memory limit.
    func interpreter(for subgraph: Int, calledBy node: Node, inputShapes: [[Int]], tensors: TensorTable) throws(InterpreterError) -> Interpreter {
        let model = family.model
        guard model.subgraphs.indices.contains(subgraph) else {
            throw node.invalid("names subgraph \(subgraph), but the model has \(model.subgraphs.count)")
        }
        guard !chain.contains(subgraph) else {
            throw node.unsupported("subgraph \(subgraph) calls itself (call chain \(chain.map(String.init).joined(separator: " → ")) → \(subgraph))")
        }
        guard chain.count < SubgraphFamily.maximumDepth else {
            throw node.unsupported("subgraphs nest deeper than \(SubgraphFamily.maximumDepth) levels")
        }
        var options = family.options
        let used = tensors.ownedBytes + childBytes
        options.memoryLimit = max(0, family.options.memoryLimit - used)
        let callee = try Interpreter(model: model, subgraph: subgraph, options: options,
                                     scope: SubgraphScope(family: family, chain: chain + [subgraph]))
        guard callee.inputTensorCount == inputShapes.count else {
            throw node.invalid("passes \(inputShapes.count) values to subgraph \(subgraph), which takes \(callee.inputTensorCount)")
        }
        for (position, shape) in inputShapes.enumerated() {
            try callee.resizeInput(at: position, to: shape, strict: false)
        }
        do {
            try callee.allocateTensors()
        } catch .memoryLimitExceeded(let required, _) {
            throw .memoryLimitExceeded(required: used + required, limit: family.options.memoryLimit)
        }
        childBytes += callee.allocatedBytes
        return callee
    }

    /// `existing` (re-sized by ``resize(_:to:calledBy:)``) when there is one, else a new
    /// interpreter: an operator prepared at every `invoke()` keeps its callees.
    func interpreter(for subgraph: Int, calledBy node: Node, inputShapes: [[Int]], tensors: TensorTable,
                     reusing existing: Interpreter?) throws(InterpreterError) -> Interpreter {
        guard let existing else { return try interpreter(for: subgraph, calledBy: node, inputShapes: inputShapes, tensors: tensors) }
        try resize(existing, to: inputShapes, calledBy: node)
        return existing
    }

    /// Resizes `callee`'s inputs to `shapes` and re-allocates it when they changed (a loop
    /// value that grew), within the memory limit it was made with and the tree's: what it
    /// holds now replaces what it held in ``childBytes``.
    func resize(_ callee: Interpreter, to shapes: [[Int]], calledBy node: Node) throws(InterpreterError) {
        guard callee.inputTensorCount == shapes.count else {
            throw node.invalid("passes \(shapes.count) values to subgraph \(callee.subgraphIndex), which takes \(callee.inputTensorCount)")
        }
        let current = try (0..<shapes.count).map { position throws(InterpreterError) in try callee.inputTensor(at: position).shape }
        guard current != shapes || !callee.isAllocated else { return }
        let before = callee.isAllocated ? callee.allocatedBytes : 0
        for (position, shape) in shapes.enumerated() {
            try callee.resizeInput(at: position, to: shape, strict: false)
        }
        do {
            try callee.allocateTensors()
        } catch .memoryLimitExceeded(let required, let limit) {
            throw Interpreter.memoryError(node, required: required, limit: limit)
        }
        childBytes += callee.allocatedBytes - before
        let total = family.staticBytes &+ family.deferredBytes
        if total > family.options.memoryLimit {
            throw Interpreter.memoryError(node, required: total, limit: family.options.memoryLimit)
        }
    }
}

/// The state every interpreter of one top-level interpreter's tree shares.
final class SubgraphFamily {
    /// Deepest chain of nested subgraph calls (WHILE in IF in WHILE …) accepted.
    static let maximumDepth = 8

    let model: Model
    let options: Interpreter.Options
    /// The model's resource variables (VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE), shared by
    /// all subgraphs and kept between invocations.
    let resources = ResourceVariables()
    /// Work units the current top-level `invoke()` has done: its planned work, then every loop
    /// iteration and nested invocation as it happens (``charge(_:node:)``).
    private(set) var runWork = 0
    /// Bytes every allocated interpreter of the tree holds from its `allocateTensors()` (its
    /// arena and owned memory; each adds its own and takes it back when released).
    var staticBytes = 0
    /// Bytes operators prepared at `invoke()` hold, in every interpreter of the tree; with
    /// ``staticBytes`` within ``Interpreter/Options/memoryLimit``.
    var deferredBytes = 0

    init(model: Model, options: Interpreter.Options) {
        self.model = model
        self.options = options
    }

    /// A top-level `invoke()` starts with `planned` work units.
    func beginRun(planned: Int) { runWork = planned }

    /// Adds `work` units done by `node` (an iteration, a nested call); past
    /// ``Interpreter/Options/totalWorkLimit`` the run stops with a clear error, so a loop that
    /// never ends ends there.
    func charge(_ work: Int, node: Node) throws(InterpreterError) {
        runWork = WorkCount.add(runWork, work)
        if runWork > options.totalWorkLimit {
            throw .totalWorkLimitExceeded(name: node.name, index: node.index, required: runWork, limit: options.totalWorkLimit)
        }
    }
}
