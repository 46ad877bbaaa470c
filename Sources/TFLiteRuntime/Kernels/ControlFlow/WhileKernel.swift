import TFLiteModel

/// WHILE: runs the body subgraph on the loop values while the condition subgraph returns true.
///
/// The condition and body are prepared for the operator's input shapes. When the body returns
/// the loop values in those shapes, the loop runs in place. When it changes them (a value
/// `tf.concat` grows, converted with `shape_invariants=[None]`), or computes one only at run
/// time (an output of an operator the body prepares at invoke), the operator asks to be
/// prepared at every `invoke()` (``TensorTable/deferToRunTime(_:_:)``), and at run time
/// re-sizes the condition and body to each iteration's shapes (re-allocating them only when the
/// shapes change) and grows its outputs (doubling their memory, so a value that grows by a row
/// per iteration re-allocates a logarithmic number of times), counted against the memory limit
/// with an error naming the WHILE. Inside the body, operators whose shapes depend on computed
/// values (a SLICE sized by the iteration counter, as tf_keras GRU and LSTM layers with
/// `return_sequences` convert) are prepared at every iteration (``Interpreter``'s deferred
/// operators). Every iteration charges the condition's and the body's work to the run
/// (``SubgraphFamily/charge(_:node:)``), so a loop that never ends (or grows without end)
/// stops at the total work limit with an error naming the WHILE.
final class WhileKernel: Kernel {
    private let node: Node
    private let condition: Int
    private let body: Int
    private var conditionInterpreter: Interpreter?
    private var bodyInterpreter: Interpreter?
    /// Whether the body changes the loop values' shapes (prepared at `invoke()`).
    private var reshaping = false
    /// Per loop value: the bytes its output holds room for (grown at run time when reshaping).
    private var capacities: [Int] = []

    init(_ node: Node) throws(InterpreterError) {
        let options = try node.options(expecting: WhileOptions.self)
        guard node.inputs.count == node.outputs.count else {
            throw node.invalid("has \(node.inputs.count) inputs and \(node.outputs.count) outputs (loop values pass through, so they must match)")
        }
        self.node = node
        condition = Int(options.condSubgraphIndex)
        body = Int(options.bodySubgraphIndex)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let scope = try SubgraphCall.scope(tensors, node: node)
        let inputs = try (0..<node.inputs.count).map { position throws(InterpreterError) in try node.input(position) }
        let shapes = SubgraphCall.shapes(inputs, in: tensors)
        // Prepared at invoke, the operator keeps its callees and re-sizes them.
        let reuse = tensors.valuesAvailable
        let conditionInterpreter = try scope.interpreter(for: condition, calledBy: node, inputShapes: shapes, tensors: tensors,
                                                         reusing: reuse ? self.conditionInterpreter : nil)
        guard conditionInterpreter.outputTensorCount == 1, let flag = try? conditionInterpreter.outputTensor(at: 0),
              flag.type == .bool, flag.elementCount == 1 else {
            throw node.invalid("condition subgraph \(condition) must return one boolean")
        }
        let bodyInterpreter = try scope.interpreter(for: body, calledBy: node, inputShapes: shapes, tensors: tensors,
                                                    reusing: reuse ? self.bodyInterpreter : nil)
        guard bodyInterpreter.outputTensorCount == inputs.count else {
            throw node.invalid("body subgraph \(body) returns \(bodyInterpreter.outputTensorCount) values for \(inputs.count) loop values")
        }
        self.conditionInterpreter = conditionInterpreter
        self.bodyInterpreter = bodyInterpreter
        reshaping = false
        for (position, input) in inputs.enumerated() {
            let result = try bodyInterpreter.outputTensor(at: position)
            guard result.type == tensors[input].type else {
                throw node.invalid("the body changes loop value \(position) from \(tensors[input].type) to \(result.type)")
            }
            // A result the body prepares at invoke has its shape only then: it may change too.
            if result.shape != tensors[input].shape || result.storage == .deferred {
                guard tensors.valuesAvailable else {
                    throw tensors.deferToRunTime(node, "dynamic output shape: the body changes loop value \(position) from \(tensors[input].shape) to \(result.shape)")
                }
                reshaping = true
            }
            let output = try node.output(position)
            tensors[output].type = tensors[input].type
            tensors[output].shape = tensors[input].shape
        }
        // The interpreter allocates the outputs for these shapes after prepare.
        capacities = inputs.map { tensors[$0].byteCount }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let conditionInterpreter, let bodyInterpreter, let scope = tensors.subgraphs else {
            throw node.failure("not prepared")
        }
        let count = node.inputs.count
        for position in 0..<count {
            let input = tensors[try node.input(position)], output = tensors[try node.output(position)]
            if input.byteCount > 0, let from = input.data, let to = output.data, from != to {
                to.copyMemory(from: from, byteCount: min(input.byteCount, output.byteCount))
            }
        }
        capacities = try (0..<count).map { position throws(InterpreterError) in tensors[try node.output(position)].byteCount }
        while true {
            if reshaping {
                let shapes = try (0..<count).map { position throws(InterpreterError) in tensors[try node.output(position)].shape }
                try scope.resize(conditionInterpreter, to: shapes, calledBy: node)
                try scope.resize(bodyInterpreter, to: shapes, calledBy: node)
            }
            for position in 0..<count {
                try SubgraphCall.copy(try node.output(position), of: tensors, toInput: position, of: conditionInterpreter, node: node)
            }
            // At least one unit each, so that a loop of empty subgraphs still meets the limit.
            try scope.family.charge(max(1, conditionInterpreter.plannedWork), node: node)
            try conditionInterpreter.invoke()
            let proceed: Bool
            do {
                proceed = try conditionInterpreter.withOutput(at: 0) { bytes in bytes.first.map { $0 != 0 } ?? false }
            } catch {
                throw node.failure("cannot read the condition: \(error)")
            }
            guard proceed else { return }
            for position in 0..<count {
                try SubgraphCall.copy(try node.output(position), of: tensors, toInput: position, of: bodyInterpreter, node: node)
            }
            try scope.family.charge(max(1, bodyInterpreter.plannedWork), node: node)
            try bodyInterpreter.invoke()
            for position in 0..<count {
                // A body output prepared at invoke (sized by computed values) is checked now.
                let result = try bodyInterpreter.outputTensor(at: position), target = try node.output(position)
                if result.shape != tensors[target].shape {
                    guard reshaping else {
                        throw node.unsupported("the body changes loop value \(position) from \(tensors[target].shape) to \(result.shape) only at run time")
                    }
                    try reshape(target, position: position, to: result, tensors)
                }
                try SubgraphCall.copy(output: position, of: bodyInterpreter, to: target, of: tensors, node: node)
            }
        }
    }

    /// Gives output `target` (loop value `position`) `result`'s shape, growing its memory to
    /// twice what it needs when it no longer fits (counted against the memory limit).
    private func reshape(_ target: Int, position: Int, to result: RuntimeTensor, _ tensors: TensorTable) throws(InterpreterError) {
        let byteCount = try GraphValidator.byteCount(of: tensors[target], shape: result.shape)
        if byteCount > capacities[position] {
            let room = byteCount > Int.max / 2 ? byteCount : 2 * byteCount
            do {
                tensors[target].data = try tensors.allocatePersistent(byteCount: room)
            } catch .memoryLimitExceeded(let required, let limit) {
                throw Interpreter.memoryError(node, required: required, limit: limit)
            }
            capacities[position] = room
        }
        tensors[target].shape = result.shape
        tensors[target].byteCount = byteCount
    }
}
