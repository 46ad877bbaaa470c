import TFLiteModel

/// IF: runs the then or the else subgraph on the operator's other inputs, by the boolean first
/// input. Both branches are prepared for the input shapes and return the same types; when their
/// shapes differ, the operator is prepared at `invoke()` (``TensorTable/deferToRunTime(_:_:)``),
/// where the condition is known and its outputs take the chosen branch's shapes.
final class IfKernel: Kernel {
    private let node: Node
    private let branches: [Int]
    private var interpreters: [Interpreter] = []

    init(_ node: Node) throws(InterpreterError) {
        let options = try node.options(expecting: IfOptions.self)
        guard !node.inputs.isEmpty else { throw node.invalid("needs the condition as its first input") }
        self.node = node
        branches = [Int(options.thenSubgraphIndex), Int(options.elseSubgraphIndex)]
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let scope = try SubgraphCall.scope(tensors, node: node)
        let flag = tensors[try node.input(0)]
        guard flag.type == .bool, flag.elementCount == 1 else { throw node.invalid("the condition must be one boolean, got \(flag.type) \(flag.shape)") }
        let arguments = try (1..<node.inputs.count).map { position throws(InterpreterError) in try node.input(position) }
        let shapes = SubgraphCall.shapes(arguments, in: tensors)
        // Prepared at invoke, the operator keeps its callees and re-sizes them.
        let kept = tensors.valuesAvailable ? interpreters : []
        interpreters = try branches.enumerated().map { position, branch throws(InterpreterError) in
            try scope.interpreter(for: branch, calledBy: node, inputShapes: shapes, tensors: tensors, reusing: kept[safe: position])
        }
        let chosen = tensors.valuesKnown(flag) ? (flag.data?.load(as: UInt8.self) ?? 0 != 0 ? 0 : 1) : nil
        for (position, output) in node.outputs.enumerated() where output >= 0 {
            let results = try interpreters.map { callee throws(InterpreterError) in
                guard position < callee.outputTensorCount else {
                    throw node.invalid("a branch returns \(callee.outputTensorCount) values for \(node.outputs.count) outputs")
                }
                return try callee.outputTensor(at: position)
            }
            guard results[0].type == results[1].type else {
                throw node.invalid("the branches return \(results[0].type) and \(results[1].type) for output \(position)")
            }
            if results[0].shape != results[1].shape, chosen == nil {
                throw tensors.deferToRunTime(node, "dynamic output shape: the branches return \(results[0].shape) and \(results[1].shape) for output \(position)")
            }
            tensors[output].type = results[0].type
            tensors[output].shape = results[chosen ?? 0].shape
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard interpreters.count == 2, let family = tensors.subgraphs?.family else { throw node.failure("not prepared") }
        let flag = tensors[try node.input(0)]
        guard let raw = flag.data else { throw node.failure("the condition has no data") }
        let callee = interpreters[raw.load(as: UInt8.self) != 0 ? 0 : 1]
        for position in 1..<node.inputs.count {
            try SubgraphCall.copy(try node.input(position), of: tensors, toInput: position - 1, of: callee, node: node)
        }
        try family.charge(callee.plannedWork, node: node)
        try callee.invoke()
        for (position, output) in node.outputs.enumerated() where output >= 0 {
            try SubgraphCall.copy(output: position, of: callee, to: output, of: tensors, node: node)
        }
    }
}
