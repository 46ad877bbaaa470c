import TFLiteModel

/// Plans the activation arena: every non-constant tensor gets an offset, and tensors whose
/// lifetimes (first write … last read, in operator order) don't overlap share memory.
///
/// Greedy by size, largest first, each placed at the lowest offset that doesn't collide with an
/// already placed tensor alive at the same time (LiteRT's approach). Placed tensors are indexed
/// by the operator steps they are alive at, so a request only looks at its contemporaries; the
/// work is bounded, and a hostile graph that would exceed the bound (millions of long-lived
/// tensors) gets a plan without sharing instead of a quadratic search.
struct ArenaPlanner {
    struct Request {
        var tensor: Int
        var size: Int
        var first: Int
        var last: Int
    }

    static let alignment = 64
    /// Overlap tests the greedy search may make before falling back to the unshared plan.
    static let workBudget = 50_000_000

    /// One request per tensor the arena holds: every tensor without storage yet (not folded,
    /// not constant, not a variable) that the subgraph reads or an operator writes, alive from
    /// its first write (-1 for subgraph inputs) to its last read (`nodes.count` for subgraph
    /// inputs and outputs), in `nodes`' execution order.
    static func requests(nodes: [Node], subgraphInputs: [Int32], subgraphOutputs: [Int32],
                         tensors: [RuntimeTensor]) -> [Request] {
        var firstUse: [Int: Int] = [:]
        var lastUse: [Int: Int] = [:]
        for input in subgraphInputs where input >= 0 { firstUse[Int(input)] = -1 }
        for (position, node) in nodes.enumerated() {
            for output in node.outputs where output >= 0 && firstUse[output] == nil { firstUse[output] = position }
            for input in node.inputs where input >= 0 { lastUse[input] = position }
        }
        // Inputs stay as the caller wrote them for the whole run, as in LiteRT: an invoke can be
        // repeated on them, and they can be read back.
        for input in subgraphInputs where input >= 0 { lastUse[Int(input)] = nodes.count }
        for output in subgraphOutputs where output >= 0 { lastUse[Int(output)] = nodes.count }
        var requests: [Request] = []
        for (index, tensor) in tensors.enumerated() where tensor.storage == .none {
            guard let first = firstUse[index] else { continue }
            if tensor.isVariableTensor { continue }
            requests.append(.init(tensor: index, size: tensor.byteCount, first: first, last: lastUse[index] ?? first))
        }
        return requests
    }

    /// Offsets by tensor index, and the arena size.
    static func plan(_ requests: [Request]) -> (offsets: [Int: Int], size: Int) {
        shared(requests) ?? unshared(requests)
    }

    /// The greedy shared plan, or nil when it would exceed ``workBudget``.
    static func shared(_ requests: [Request]) -> (offsets: [Int: Int], size: Int)? {
        guard let low = requests.map(\.first).min(), let high = requests.map(\.last).max(), high >= low else {
            return ([:], 0)
        }
        let order = requests.sorted { ($0.size, $1.tensor) > ($1.size, $0.tensor) }
        var offsets: [Int: Int] = [:]
        offsets.reserveCapacity(requests.count)
        var placedOffset: [Int] = [], placedEnd: [Int] = []
        var seen: [Int] = []
        var aliveAt = [[Int]](repeating: [], count: high - low + 1)
        var arenaSize = 0
        var work = 0
        for (stamp, request) in order.enumerated() {
            let size = align(request.size)
            let steps = (max(request.first, low) - low)...(max(request.last, request.first) - low)
            var overlapping: [Int] = []
            for step in steps {
                work += aliveAt[step].count + 1
                if work > workBudget { return nil }
                for other in aliveAt[step] where seen[other] != stamp {
                    seen[other] = stamp
                    overlapping.append(other)
                }
            }
            overlapping.sort { placedOffset[$0] < placedOffset[$1] }
            var candidate = 0
            for other in overlapping {
                if candidate + size <= placedOffset[other] { break }
                candidate = max(candidate, placedEnd[other])
            }
            let id = placedOffset.count
            placedOffset.append(candidate)
            placedEnd.append(candidate + size)
            seen.append(-1)
            for step in steps { aliveAt[step].append(id) }
            offsets[request.tensor] = candidate
            arenaSize = max(arenaSize, candidate + size)
        }
        return (offsets, arenaSize)
    }

    /// Every tensor in its own slot, in request order.
    static func unshared(_ requests: [Request]) -> (offsets: [Int: Int], size: Int) {
        var offsets: [Int: Int] = [:]
        var size = 0
        for request in requests {
            offsets[request.tensor] = size
            size = min(size + align(request.size), Int.max / 2)
        }
        return (offsets, size)
    }

    /// `size` rounded up to ``alignment`` (saturating: byte counts are validated before planning,
    /// this only keeps arithmetic on hostile values from trapping).
    static func align(_ size: Int) -> Int {
        let limit = Int.max / 4
        return (min(max(size, 1), limit) + alignment - 1) / alignment * alignment
    }
}
