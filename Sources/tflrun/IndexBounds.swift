import TFLiteModel

/// Which integer inputs of a subgraph are indices into a table, and how many rows that table
/// has, so generated benchmark inputs stay in range (a BERT-style model's segment ids index a
/// 2-row table; token ids a vocabulary).
///
/// An input's values are followed through operators that move them unchanged (CAST, RESHAPE,
/// SQUEEZE, EXPAND_DIMS, TRANSPOSE, SLICE, STRIDED_SLICE) to the operators that index with them:
/// GATHER's indices (rows along its axis), GATHER_ND's (the smallest of the dimensions indexed),
/// EMBEDDING_LOOKUP's ids (the table's rows). The bound is the smallest such row count.
enum IndexBounds {
    /// Exclusive upper bounds, by subgraph input position, for the inputs that index a table.
    static func bounds(in subgraph: Subgraph, of model: Model) -> [Int: Int] {
        var consumers: [Int32: [(op: Operator, slot: Int)]] = [:]
        for op in subgraph.operators {
            for (slot, tensor) in op.inputs.enumerated() where tensor >= 0 {
                consumers[tensor, default: []].append((op, slot))
            }
        }
        func rows(_ tensor: Int32, dimension: Int) -> Int? {
            guard let shape = subgraph.tensors[safeIndex: Int(tensor)]?.shape else { return nil }
            let axis = dimension < 0 ? dimension + shape.count : dimension
            guard shape.indices.contains(axis), shape[axis] > 0 else { return nil }
            return Int(shape[axis])
        }
        func bound(of tensor: Int32, depth: Int) -> Int? {
            guard depth < 16 else { return nil }
            var result: Int?
            func narrow(_ value: Int?) {
                if let value { result = min(result ?? value, value) }
            }
            for (op, slot) in consumers[tensor] ?? [] {
                guard let code = model.operatorCode(of: op)?.builtinCode else { continue }
                switch code {
                case .gather where slot == 1:
                    let axis = (try? GatherOptions(op.builtinOptionsType == GatherOptions.unionType ? op.builtinOptions : nil).axis) ?? 0
                    narrow(op.inputs.first.flatMap { rows($0, dimension: Int(axis)) })
                case .embeddingLookup where slot == 0:
                    narrow(op.inputs[safeIndex: 1].flatMap { rows($0, dimension: 0) })
                case .gatherNd where slot == 1:
                    if let params = op.inputs.first, let depth = subgraph.tensors[safeIndex: Int(tensor)]?.shape.last, depth > 0 {
                        narrow((0..<Int(depth)).compactMap { rows(params, dimension: $0) }.min())
                    }
                case .cast, .reshape, .squeeze, .expandDims, .transpose, .slice, .stridedSlice:
                    guard slot == 0 else { break }
                    for output in op.outputs { narrow(bound(of: output, depth: depth + 1)) }
                default:
                    break
                }
            }
            return result
        }
        var result: [Int: Int] = [:]
        for (position, tensor) in subgraph.inputs.enumerated() {
            guard let type = subgraph.tensors[safeIndex: Int(tensor)]?.type, type == .int32 || type == .int64 else { continue }
            result[position] = bound(of: tensor, depth: 0)
        }
        return result
    }
}
