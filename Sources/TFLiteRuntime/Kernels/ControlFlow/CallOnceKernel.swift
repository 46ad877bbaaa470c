import TFLiteModel

/// CALL_ONCE: runs the initialization subgraph (it assigns the model's resource variables) the
/// first time the interpreter runs, never again.
final class CallOnceKernel: Kernel {
    private let node: Node
    private let subgraph: Int
    private var callee: Interpreter?
    private var done = false

    init(_ node: Node) throws(InterpreterError) {
        subgraph = Int(try node.options(expecting: CallOnceOptions.self).initSubgraphIndex)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        callee = try SubgraphCall.scope(tensors, node: node).interpreter(for: subgraph, calledBy: node, inputShapes: [], tensors: tensors)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard !done else { return }
        guard let callee, let family = tensors.subgraphs?.family else { throw node.failure("not prepared") }
        try family.charge(callee.plannedWork, node: node)
        try callee.invoke()
        done = true
    }
}
