import ArgumentParser
import Foundation
import TFLiteModel
import TFLiteRuntime

/// `tflrun bench`: times `invoke()` on generated inputs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark a model: latency min/median/p90, initialization time and peak memory.",
        discussion: "Inputs come from --input files, or are filled with fixed pseudo-random values (--input-range sets an input's range; integer inputs that index a table stay within its rows). --profile adds a per-operator table and the slowest operators."
    )

    @OptionGroup var model: ModelOptions

    @OptionGroup var inputs: InputOptions

    @OptionGroup var limits: InterpreterLimits

    @Option(parsing: .unconditional, help: "Timed runs.")
    var runs: Int = 50

    @Option(parsing: .unconditional, help: "Untimed runs before timing.")
    var warmup: Int = 5

    @Flag(help: "Print JSON (median_ms, min_ms, p90_ms, init_ms, peak_memory_bytes, …).")
    var json = false

    @Flag(help: "Time every operator and add a per-operator table (op, count, total ms, share).")
    var profile = false

    @Option(parsing: .unconditional, help: "With --profile, how many of the slowest operators to list (0: all).")
    var top: Int = 10

    @Flag(help: "Run mostly-zero constant weights on the dense kernels, not as sparse products (to compare the two; results are the same).")
    var denseWeights = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, got \(runs)") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative, got \(warmup)") }
        guard top >= 0 else { throw ValidationError("--top must not be negative, got \(top)") }
    }

    func run() throws {
        let initStart = DispatchTime.now().uptimeNanoseconds
        let loaded = try model.load()
        var options = limits.options
        options.sparseWeights = !denseWeights
        let target = try RunTarget(loaded, model: model, signature: inputs.signature, options: options)
        try target.allocate()
        let interpreter = target.interpreter
        let initMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - initStart) / 1e6

        var ranges: [Int: ClosedRange<Double>] = [:]
        for range in inputs.ranges {
            ranges[try target.slot(named: range.assignment.name, flag: "--input-range")] = range.assignment.value
        }
        if !inputs.files.isEmpty, !ranges.isEmpty {
            throw ToolFailure("\(model.model): --input-range applies to generated inputs, not to --input files")
        }
        let rows = IndexBounds.bounds(in: loaded.subgraphs[interpreter.subgraphIndex], of: loaded)
        var generator = SplitMix64(seed: 0x5EED)
        try target.feed(inputs, limit: options.memoryLimit, allocated: true) { slot, info in
            let position = target.inputPositions[slot]
            return try InputFiller.data(for: info, range: ranges[slot] ?? InputFiller.defaultRange(for: info, rows: rows[position]),
                                        name: target.displayName(slot), using: &generator)
        }
        do throws(InterpreterError) {
            for _ in 0..<warmup { try interpreter.invoke() }
        } catch {
            throw model.failure(error)
        }

        var samples: [Double] = []
        samples.reserveCapacity(runs)
        let profiler = OperatorProfiler()
        do {
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                try interpreter.invoke()
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            if profile {
                for _ in 0..<runs { try interpreter.invoke(profiler: profiler) }
            }
        } catch {
            throw model.failure(error)
        }

        let report = BenchReport(model: model.model, threads: limits.threads, runs: runs, warmup: warmup,
                                 samples: samples, initMilliseconds: initMilliseconds,
                                 peakMemoryBytes: PeakMemory.bytes(), arenaBytes: interpreter.allocatedBytes,
                                 profiler: profile ? profiler : nil, runsProfiled: runs, slowestCount: top)
        print(json ? try report.json() : report.text())
    }
}
