import Dispatch

/// Per-operator timings collected by ``Interpreter/invoke(profiler:)``.
///
/// Profiling is a separate entry point so the normal `invoke()` pays nothing for it.
public final class OperatorProfiler {
    /// One operator's accumulated time.
    public struct Record: Sendable, Equatable {
        /// Operator index in the subgraph.
        public var index: Int
        /// Operator name (`CONV_2D`, or the custom code).
        public var name: String
        /// Invocations timed.
        public var count: Int
        /// Total time in nanoseconds.
        public var nanoseconds: UInt64
    }

    /// Time per operator index (folded operators, which never run, are absent).
    public private(set) var records: [Int: Record] = [:]

    /// An empty profiler.

    public init() {}

    /// Forgets every measurement.
    public func reset() { records.removeAll() }

    func add(index: Int, name: String, nanoseconds: UInt64) {
        records[index, default: Record(index: index, name: name, count: 0, nanoseconds: 0)].count += 1
        records[index]?.nanoseconds += nanoseconds
    }

    /// Totals per operator name, slowest first: (name, operators × runs, total nanoseconds).
    public var byOperator: [(name: String, count: Int, nanoseconds: UInt64)] {
        var totals: [String: (count: Int, nanoseconds: UInt64)] = [:]
        for record in records.values {
            totals[record.name, default: (0, 0)].count += record.count
            totals[record.name, default: (0, 0)].nanoseconds += record.nanoseconds
        }
        return totals.map { (name: $0.key, count: $0.value.count, nanoseconds: $0.value.nanoseconds) }
            .sorted { $0.nanoseconds != $1.nanoseconds ? $0.nanoseconds > $1.nanoseconds : $0.name < $1.name }
    }

    /// The total time over all operators, in nanoseconds.
    public var totalNanoseconds: UInt64 { records.values.reduce(0) { $0 + $1.nanoseconds } }
}

extension Interpreter {
    /// Runs the model like ``invoke()``, timing every operator into `profiler`.
    public func invoke(profiler: OperatorProfiler) throws(InterpreterError) {
        try beginInvoke()
        for (position, (node, kernel)) in zip(nodes, kernels).enumerated() where !settled[position] {
            let start = DispatchTime.now().uptimeNanoseconds
            if deferred[position] { try runDeferred(node, kernel) } else { try kernel.run(tensors) }
            let end = DispatchTime.now().uptimeNanoseconds
            profiler.add(index: node.index, name: node.name, nanoseconds: end &- start)
        }
    }
}
