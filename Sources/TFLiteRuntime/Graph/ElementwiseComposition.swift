import TFLiteModel

/// Operator pairs that run as one: an 8-bit MUL of a tensor by an 8-bit unary of that same
/// tensor (swish, x · logistic(x), in EfficientNet) is tabulated and runs as one lookup; a
/// float32 MUL of a tensor by its own LOGISTIC runs as one fused pass. The unary then runs
/// only if something else reads its output (another operator, or the subgraph's outputs).
enum ElementwiseComposition {
    /// Composes the prepared `kernels` of `nodes` (in execution order) where a pair fits, and
    /// returns per operator whether it no longer runs (its only reader composed with it).
    /// Operators marked in `deferred` take no part (they prepare again at every invoke).
    static func compose(_ kernels: [any Kernel], nodes: [Node], subgraphOutputs: Set<Int>, excluding deferred: [Bool] = []) -> [Bool] {
        var composedAway = Array(repeating: false, count: kernels.count)
        var producer: [Int: Int] = [:]
        var readers: [Int: Set<Int>] = [:]
        for (position, node) in nodes.enumerated() {
            for output in node.outputs where output >= 0 { producer[output] = position }
            for input in node.inputs where input >= 0 { readers[input, default: []].insert(position) }
        }
        let isDeferred = { (position: Int) in deferred.indices.contains(position) && deferred[position] }
        for (position, kernel) in kernels.enumerated() where !isDeferred(position) {
            guard let binary = kernel as? ElementwiseBinaryKernel else { continue }
            for input in nodes[position].inputs where input >= 0 {
                guard let source = producer[input], !isDeferred(source), let unary = kernels[source] as? ElementwiseUnaryKernel,
                      let unaryInput = nodes[source].inputs.first else { continue }
                let composed = if let table = unary.byteTable {
                    binary.composeMultiplication(unaryTable: table, unaryInput: unaryInput, unaryOutput: input)
                } else if unary.isFloatLogistic {
                    binary.composeSwish(logisticInput: unaryInput, logisticOutput: input)
                } else {
                    false
                }
                guard composed else { continue }
                if readers[input] == [position], !subgraphOutputs.contains(input), nodes[source].outputs.filter({ $0 >= 0 }) == [input] {
                    composedAway[source] = true
                }
                break
            }
        }
        return composedAway
    }
}
