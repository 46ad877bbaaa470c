/// What a GATHER or GATHER_ND run works on: the raw `params` (input 0) and output bytes and the
/// int32/int64 index buffer (input 1), fetched once per `run`.
///
/// `index(at:)` is always inlined, so the kernels' copy loops read indices exactly as before
/// (no closure, no dynamic dispatch).
struct GatherBuffers {
    /// The bytes of `params`.
    let source: UnsafeMutableRawPointer
    /// The bytes of the output.
    let destination: UnsafeMutableRawPointer
    private let indexData: UnsafeMutableRawPointer
    private let is64: Bool

    /// The node's buffers, or nil when one of them has no data (the run then writes nothing).
    static func fetch(_ node: Node, _ tensors: TensorTable) throws(InterpreterError) -> GatherBuffers? {
        let params = tensors[try node.input(0)]
        let indices = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard let source = params.data, let destination = output.data, let indexData = indices.data else { return nil }
        return GatherBuffers(source: source, destination: destination, indexData: indexData, is64: indices.type == .int64)
    }

    /// The index stored at element `position` of the index buffer (int64 or int32).
    @inline(__always)
    func index(at position: Int) -> Int {
        is64 ? Int(indexData.load(fromByteOffset: position * 8, as: Int64.self))
            : Int(indexData.load(fromByteOffset: position * 4, as: Int32.self))
    }
}
