import TFLiteModel

/// WHILE: runs the body subgraph on the loop values while the condition subgraph returns true.
///
/// The loop values keep their shapes and types from one iteration to the next (the condition
/// and body are prepared once, for the operator's input shapes; a body whose outputs differ is
/// refused at prepare, or at run for outputs the body prepares at invoke). Inside the body,
/// operators whose shapes depend on computed values (a SLICE sized by the iteration counter, as
/// tf_keras GRU and LSTM layers with `return_sequences` convert) are prepared at every
/// iteration (``Interpreter``'s deferred operators). They live in the operator's outputs between iterations. Every iteration
/// charges the condition's and the body's work to the run (``SubgraphFamily/charge(_:node:)``),
/// so a loop that never ends stops at the total work limit with an error naming the WHILE.
final class WhileKernel: Kernel {
    private let node: Node
    private let condition: Int
    private let body: Int
    private var conditionInterpreter: Interpreter?
    private var bodyInterpreter: Interpreter?

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
        let conditionInterpreter = try scope.interpreter(for: condition, calledBy: node, inputShapes: shapes, tensors: tensors)
        guard conditionInterpreter.outputTensorCount == 1, let flag = try? conditionInterpreter.outputTensor(at: 0),
              flag.type == .bool, flag.elementCount == 1 else {
            throw node.invalid("condition subgraph \(condition) must return one boolean")
        }
        let bodyInterpreter = try scope.interpreter(for: body, calledBy: node, inputShapes: shapes, tensors: tensors)
        guard bodyInterpreter.outputTensorCount == inputs.count else {
            throw node.invalid("body subgraph \(body) returns \(bodyInterpreter.outputTensorCount) values for \(inputs.count) loop values")
        }
        for (position, input) in inputs.enumerated() {
            let result = try bodyInterpreter.outputTensor(at: position)
            guard result.shape == tensors[input].shape, result.type == tensors[input].type else {
                throw node.unsupported("the body changes loop value \(position) from \(tensors[input].type) \(tensors[input].shape) to \(result.type) \(result.shape) (shapes that change between iterations are not supported)")
            }
            let output = try node.output(position)
            tensors[output].type = tensors[input].type
            tensors[output].shape = tensors[input].shape
        }
        self.conditionInterpreter = conditionInterpreter
        self.bodyInterpreter = bodyInterpreter
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let conditionInterpreter, let bodyInterpreter, let family = tensors.subgraphs?.family else {
            throw node.failure("not prepared")
        }
        let count = node.inputs.count
        for position in 0..<count {
            let input = tensors[try node.input(position)], output = tensors[try node.output(position)]
            if input.byteCount > 0, let from = input.data, let to = output.data, from != to {
                to.copyMemory(from: from, byteCount: min(input.byteCount, output.byteCount))
            }
        }
        // At least one unit each, so that a loop of empty subgraphs still meets the limit.
        let conditionWork = max(1, conditionInterpreter.plannedWork), bodyWork = max(1, bodyInterpreter.plannedWork)
        while true {
            for position in 0..<count {
                try SubgraphCall.copy(try node.output(position), of: tensors, toInput: position, of: conditionInterpreter, node: node)
            }
            try family.charge(conditionWork, node: node)
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
            try family.charge(bodyWork, node: node)
            try bodyInterpreter.invoke()
            for position in 0..<count {
                // A body output prepared at invoke (sized by computed values) is checked now.
                let result = try bodyInterpreter.outputTensor(at: position), target = tensors[try node.output(position)]
                guard result.shape == target.shape else {
                    throw node.unsupported("the body changes loop value \(position) from \(target.shape) to \(result.shape) (shapes that change between iterations are not supported)")
                }
                try SubgraphCall.copy(output: position, of: bodyInterpreter, to: try node.output(position), of: tensors, node: node)
            }
        }
    }
}
