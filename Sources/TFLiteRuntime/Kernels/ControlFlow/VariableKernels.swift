import TFLiteModel

/// VAR_HANDLE: the id of the resource variable its options name (`container`, `shared_name`),
/// written as the int32 its resource output holds.
final class VarHandleKernel: Kernel {
    private let node: Node
    private let container: String
    private let sharedName: String

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 0...0, outputs: 1...1)
        let options = try node.options(expecting: VarHandleOptions.self)
        self.node = node
        container = options.container ?? ""
        sharedName = options.sharedName ?? ""
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let output = try node.output(0)
        guard tensors[output].type == .resource else { throw node.invalid("output must be a resource, got \(tensors[output].type)") }
        tensors[output].shape = []
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let family = tensors.subgraphs?.family, let data = tensors[try node.output(0)].data else { throw node.failure("not prepared") }
        data.storeBytes(of: family.resources.id(container: container, sharedName: sharedName), as: Int32.self)
    }
}

/// The variable id a resource tensor holds, checked against the ids handed out.
private func variableID(_ tensor: RuntimeTensor, _ family: SubgraphFamily, _ node: Node) throws(InterpreterError) -> Int32 {
    guard tensor.type == .resource, tensor.byteCount >= 4, let data = tensor.data else {
        throw node.failure("input 0 is not a resource")
    }
    let id = data.loadUnaligned(as: Int32.self)
    guard family.resources.isKnown(id) else { throw node.failure("resource id \(id) names no variable") }
    return id
}

/// ASSIGN_VARIABLE: stores its value input in the variable its resource input names.
final class AssignVariableKernel: Kernel {
    private let node: Node

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 0...0)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        guard tensors[try node.input(0)].type == .resource else { throw node.invalid("input 0 must be a resource") }
        guard tensors[try node.input(1)].type.byteWidth != nil else { throw node.unsupported("values of type \(tensors[try node.input(1)].type)") }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let family = tensors.subgraphs?.family else { throw node.failure("not prepared") }
        let id = try variableID(tensors[try node.input(0)], family, node)
        let value = tensors[try node.input(1)]
        family.resources.assign(id, type: value.type, shape: value.shape, bytes: value.data, count: value.byteCount)
    }
}

/// READ_VARIABLE: the value of the variable its resource input names, which must have the type
/// and shape the model declares for the output (they are fixed when the model is prepared).
final class ReadVariableKernel: Kernel {
    private let node: Node

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        guard tensors[try node.input(0)].type == .resource else { throw node.invalid("input 0 must be a resource") }
        guard tensors[try node.output(0)].type.byteWidth != nil else { throw node.unsupported("values of type \(tensors[try node.output(0)].type)") }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let family = tensors.subgraphs?.family else { throw node.failure("not prepared") }
        let id = try variableID(tensors[try node.input(0)], family, node)
        let output = tensors[try node.output(0)]
        guard let value = family.resources.value(id) else { throw node.failure("variable \(id) is read before any value was assigned to it") }
        guard value.type == output.type, value.shape == output.shape, value.bytes.count == output.byteCount else {
            throw node.failure("variable \(id) holds \(value.type) \(value.shape), the output is \(output.type) \(output.shape)")
        }
        guard let data = output.data else { return }
        value.bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { data.copyMemory(from: base, byteCount: raw.count) }
        }
    }
}
