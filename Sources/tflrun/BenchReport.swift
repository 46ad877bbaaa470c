import Foundation
import TFLiteModel
import TFLiteRuntime

/// The results of `tflrun bench`, as text or JSON.
struct BenchReport: Encodable {
    struct OperatorRow: Encodable {
        var op: String
        var count: Int
        var total_ms: Double
        var share: Double
    }

    /// One operator of the subgraph (by index), for the slowest-operators list.
    struct NodeRow: Encodable {
        var index: Int
        var op: String
        var ms: Double
        var share: Double
    }

    var model: String
    var threads: Int
    var runs: Int
    var warmup: Int
    var init_ms: Double
    var min_ms: Double
    var median_ms: Double
    var p90_ms: Double
    var mean_ms: Double
    var max_ms: Double
    var peak_memory_bytes: Int
    var tensor_memory_bytes: Int
    var operators: [OperatorRow]?
    var slowest_operators: [NodeRow]?

    init(model: String, threads: Int, runs: Int, warmup: Int, samples: [Double], initMilliseconds: Double,
         peakMemoryBytes: Int, arenaBytes: Int, profiler: OperatorProfiler?, runsProfiled: Int, slowestCount: Int = 10) {
        self.model = model
        self.threads = threads
        self.runs = runs
        self.warmup = warmup
        init_ms = initMilliseconds
        let sorted = samples.sorted()
        min_ms = sorted.first ?? 0
        max_ms = sorted.last ?? 0
        median_ms = Self.percentile(sorted, 0.5)
        p90_ms = Self.percentile(sorted, 0.9)
        mean_ms = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        peak_memory_bytes = peakMemoryBytes
        tensor_memory_bytes = arenaBytes
        if let profiler {
            let total = Double(profiler.totalNanoseconds)
            operators = profiler.byOperator.map {
                OperatorRow(op: DisplayText.quoted($0.name), count: $0.count / max(runsProfiled, 1), total_ms: Double($0.nanoseconds) / 1e6 / Double(max(runsProfiled, 1)),
                            share: total > 0 ? Double($0.nanoseconds) / total : 0)
            }
            slowest_operators = profiler.records.values.sorted { ($0.nanoseconds, $1.index) > ($1.nanoseconds, $0.index) }
                .prefix(slowestCount == 0 ? Int.max : slowestCount).map {
                    NodeRow(index: $0.index, op: DisplayText.quoted($0.name), ms: Double($0.nanoseconds) / 1e6 / Double(max(runsProfiled, 1)),
                            share: total > 0 ? Double($0.nanoseconds) / total : 0)
                }
        }
    }

    /// Nearest-rank percentile of sorted samples (the median averages the two middle values).
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        if fraction == 0.5 {
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank - 1, 0), sorted.count - 1)]
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        func ms(_ value: Double) -> String { String(format: "%.3f ms", value) }
        var lines = [
            "model: \(model)",
            "threads: \(threads), runs: \(runs), warmup: \(warmup)",
            "init: \(ms(init_ms))",
            "latency: min \(ms(min_ms)), median \(ms(median_ms)), p90 \(ms(p90_ms)), mean \(ms(mean_ms))",
            "peak memory: \(String(format: "%.1f", Double(peak_memory_bytes) / 1_048_576)) MiB (tensor memory \(String(format: "%.1f", Double(tensor_memory_bytes) / 1_048_576)) MiB)",
        ]
        if let operators {
            let width = max(2, operators.map(\.op.count).max() ?? 0)
            lines.append("")
            lines.append("op".padding(toLength: width, withPad: " ", startingAt: 0) + "  count    total ms   share")
            for row in operators {
                lines.append(row.op.padding(toLength: width, withPad: " ", startingAt: 0)
                             + String(format: "  %5d  %10.3f  %5.1f%%", row.count, row.total_ms, row.share * 100))
            }
        }
        if let slowest = slowest_operators, !slowest.isEmpty {
            lines.append("")
            lines.append("slowest operators:")
            for row in slowest {
                let index = "#\(row.index)".padding(toLength: 6, withPad: " ", startingAt: 0)
                let op = row.op.padding(toLength: 18, withPad: " ", startingAt: 0)
                lines.append("  " + index + op + String(format: "%8.3f ms  %5.1f%%", row.ms, row.share * 100))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The process's peak resident memory (`getrusage` maxrss).
enum PeakMemory {
    static func bytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)  // bytes on macOS
        #endif
    }
}
