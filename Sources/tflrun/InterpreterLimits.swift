import ArgumentParser
import Foundation
import TFLiteRuntime

/// Options of the subcommands that run a model: threads and the limits that guard against
/// hostile files (`Interpreter.Options`: memory, work per operator, work per run).
struct InterpreterLimits: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads kernels may use.")
    var threads: Int = 1

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The most tensor memory the interpreter may allocate, in bytes or with a K, M or G suffix (binary). Default: a quarter of the physical memory, at most 4G (\(ByteSize.describe(Interpreter.Options.defaultMemoryLimit)) here).",
                               valueName: "bytes"))
    var memoryLimit: ByteSize?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The most work one operator may do per run, in work units: multiply-adds, plus \(Interpreter.Options.elementWork) per element read or written. A guard against hostile files.",
                               valueName: "units"))
    var workLimit: Int = Interpreter.Options.defaultWorkLimit

    @Option(parsing: .unconditional,
            help: ArgumentHelp("The most work all operators together may do per run, in work units (about 3 s of work on one core at the default).",
                               valueName: "units"))
    var totalWorkLimit: Int = Interpreter.Options.defaultTotalWorkLimit

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let memoryLimit, memoryLimit.bytes <= 0 { throw ValidationError("--memory-limit must be positive") }
        guard workLimit > 0 else { throw ValidationError("--work-limit must be positive, got \(workLimit)") }
        guard totalWorkLimit > 0 else { throw ValidationError("--total-work-limit must be positive, got \(totalWorkLimit)") }
    }

    /// The interpreter options these flags ask for.
    var options: Interpreter.Options {
        Interpreter.Options(threadCount: threads, memoryLimit: memoryLimit?.bytes ?? Interpreter.Options.defaultMemoryLimit,
                            workLimit: workLimit, totalWorkLimit: totalWorkLimit)
    }
}

/// A byte count given on the command line: `1048576`, `512K`, `64M`, `4G` (powers of 1024).
struct ByteSize: ExpressibleByArgument {
    let bytes: Int

    init?(argument: String) {
        let text = argument.uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var digits = Substring(text)
        var shift = 0
        if let last = text.last, let value = shifts[last] {
            shift = value
            digits = text.dropLast()
        }
        guard let count = Int(digits), count > 0 else { return nil }
        let (value, overflow) = count.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow else { return nil }
        bytes = value
    }

    /// `4294967296 bytes = 4.0G`.
    static func describe(_ bytes: Int) -> String {
        "\(bytes) bytes = \(String(format: "%.1f", Double(bytes) / Double(1 << 30)))G"
    }
}
