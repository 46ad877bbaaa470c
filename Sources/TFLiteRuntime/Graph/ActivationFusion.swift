import TFLiteModel

/// A kernel that can apply a following float32 activation operator to its output tiles as it
/// writes them (``ActivationFusion``), writing the activation's output tensor instead of its own.
protocol ActivationFusingKernel: Kernel {
    /// Applies `activation` to each output tile right after it is computed and writes tensor
    /// `output` (the activation's output, same type and shape) instead of the operator's own
    /// output. Called after `prepare`; returns whether the prepared path supports it (nothing
    /// changes when it does not).
    func fuse(_ activation: FloatActivation, writingTo output: Int) -> Bool
    /// Runs as if nothing were fused: the operator's own output, no activation
    /// (``Interpreter/invoke(observer:)`` then runs the activation operator itself).
    func runUnfused(_ tensors: TensorTable) throws(InterpreterError)
}

/// Float32 activation operators that run inside the convolution before them: a RELU, RELU6,
/// RELU_N1_TO_1, LEAKY_RELU or HARD_SWISH (not LOGISTIC: see ``FloatActivation``) whose input only an
/// ``ActivationFusingKernel`` writes and only the activation reads (not a subgraph output) is
/// applied to the convolution's output tiles while they are in cache, the convolution writes the
/// activation's output, and the activation operator no longer runs. The values are the same, bit
/// for bit: the same float operations on the same values, in the same order per element.
enum ActivationFusion {
    /// Fuses what fits among the prepared `kernels` of `nodes` (in execution order), marks the
    /// fused activations in `composedAway`, and returns the nodes as the arena planner must see
    /// them: a fusing operator also writes its activation's output, so that tensor lives from the
    /// convolution on (and never shares memory with the convolution's inputs).
    /// Operators marked in `deferred` take no part (they prepare again at every invoke).
    static func fuse(_ kernels: [any Kernel], nodes: [Node], tensors: TensorTable, subgraphOutputs: Set<Int>,
                     excluding deferred: [Bool], composedAway: inout [Bool]) -> [Node] {
        var planned = nodes
        var producer: [Int: Int] = [:]
        var readers: [Int: Int] = [:]
        for (position, node) in nodes.enumerated() {
            for output in node.outputs where output >= 0 { producer[output] = position }
            for input in Set(node.inputs) where input >= 0 { readers[input, default: 0] += 1 }
        }
        let isDeferred = { (position: Int) in deferred.indices.contains(position) && deferred[position] }
        for (position, kernel) in kernels.enumerated() where !isDeferred(position) && !composedAway[position] {
            guard let unary = kernel as? ElementwiseUnaryKernel, let activation = unary.floatActivation,
                  let input = nodes[position].inputs.first, input >= 0, let output = nodes[position].outputs.first, output >= 0,
                  let source = producer[input], source < position, !isDeferred(source), !composedAway[source],
                  let fusing = kernels[source] as? any ActivationFusingKernel,
                  readers[input] == 1, !subgraphOutputs.contains(input), nodes[source].outputs.filter({ $0 >= 0 }) == [input],
                  tensors[input].type == .float32, tensors[output].type == .float32, tensors[input].shape == tensors[output].shape,
                  tensors[input].storage == .none, tensors[output].storage == .none, !tensors[output].isVariableTensor
            else { continue }
            guard fusing.fuse(activation, writingTo: output) else { continue }
            composedAway[position] = true
            planned[source].outputs.append(output)
        }
        return planned
    }
}
