import TFLiteModel

/// Moving values between a calling operator's tensors and a nested interpreter's inputs and
/// outputs (byte copies: the nested interpreter plans its own arena).
enum SubgraphCall {
    /// The shapes of `indices` in `tensors`.
    static func shapes(_ indices: some Sequence<Int>, in tensors: TensorTable) -> [[Int]] {
        indices.map { tensors[$0].shape }
    }

    /// Copies tensor `source` of `tensors` into input `position` of `callee`.
    static func copy(_ source: Int, of tensors: TensorTable, toInput position: Int, of callee: Interpreter,
                     node: Node) throws(InterpreterError) {
        let tensor = tensors[source]
        let info = try callee.inputTensor(at: position)
        guard info.byteCount == tensor.byteCount, info.type == tensor.type else {
            throw node.failure("value \(position) is \(tensor.type) \(tensor.shape), the subgraph's input is \(info.type) \(info.shape)")
        }
        guard tensor.byteCount > 0, let from = tensor.data else { return }
        do {
            try callee.withInput(at: position) { destination in
                destination.baseAddress?.copyMemory(from: from, byteCount: min(destination.count, tensor.byteCount))
            }
        } catch {
            throw node.failure("cannot write the subgraph's input \(position): \(error)")
        }
    }

    /// Copies output `position` of `callee` into tensor `target` of `tensors`.
    static func copy(output position: Int, of callee: Interpreter, to target: Int, of tensors: TensorTable,
                     node: Node) throws(InterpreterError) {
        let tensor = tensors[target]
        let info = try callee.outputTensor(at: position)
        guard info.byteCount == tensor.byteCount, info.type == tensor.type else {
            throw node.failure("the subgraph's output \(position) is \(info.type) \(info.shape), the operator's is \(tensor.type) \(tensor.shape)")
        }
        guard tensor.byteCount > 0, let to = tensor.data else { return }
        do {
            try callee.withOutput(at: position) { source in
                if let from = source.baseAddress { to.copyMemory(from: from, byteCount: min(source.count, tensor.byteCount)) }
            }
        } catch {
            throw node.failure("cannot read the subgraph's output \(position): \(error)")
        }
    }

    /// The scope of the interpreter that owns `tensors`, or an error naming `node`.
    static func scope(_ tensors: TensorTable, node: Node) throws(InterpreterError) -> SubgraphScope {
        guard let scope = tensors.subgraphs else { throw node.unsupported("no subgraph scope (internal)") }
        return scope
    }
}
