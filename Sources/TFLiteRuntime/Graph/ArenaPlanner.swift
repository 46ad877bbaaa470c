/// Plans the activation arena: every non-constant tensor gets an offset, and tensors whose
/// lifetimes (first write … last read, in operator order) don't overlap share memory.
///
/// Greedy by size, largest first, each placed at the lowest offset that doesn't collide with an
/// already placed tensor alive at the same time (LiteRT's approach).
struct ArenaPlanner {
    struct Request {
        var tensor: Int
        var size: Int
        var first: Int
        var last: Int
    }

    static let alignment = 64

    /// Offsets by tensor index, and the arena size.
    static func plan(_ requests: [Request]) -> (offsets: [Int: Int], size: Int) {
        let order = requests.sorted { ($0.size, $1.tensor) > ($1.size, $0.tensor) }
        var placed: [(offset: Int, end: Int, first: Int, last: Int)] = []
        var offsets: [Int: Int] = [:]
        var arenaSize = 0
        for request in order {
            let size = align(request.size)
            let overlapping = placed
                .filter { $0.first <= request.last && request.first <= $0.last }
                .sorted { $0.offset < $1.offset }
            var candidate = 0
            for other in overlapping {
                if candidate + size <= other.offset { break }
                candidate = max(candidate, other.end)
            }
            placed.append((candidate, candidate + size, request.first, request.last))
            offsets[request.tensor] = candidate
            arenaSize = max(arenaSize, candidate + size)
        }
        return (offsets, arenaSize)
    }

    static func align(_ size: Int) -> Int {
        (max(size, 1) + alignment - 1) / alignment * alignment
    }
}
