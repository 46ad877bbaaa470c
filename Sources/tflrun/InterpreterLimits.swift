import ArgumentParser
import TFLiteRuntime

/// Options of the subcommands that run a model: threads and the per-operator work limit.
struct InterpreterLimits: ParsableArguments {
    @Option(help: "Threads kernels may use.")
    var threads: Int = 1

    @Option(help: ArgumentHelp("The most multiply-adds one operator may do per run (a guard against hostile files).",
                               valueName: "count"))
    var workLimit: Int = Interpreter.Options().workLimit

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard workLimit > 0 else { throw ValidationError("--work-limit must be positive") }
    }

    /// The interpreter options these flags ask for.
    var options: Interpreter.Options { Interpreter.Options(threadCount: threads, workLimit: workLimit) }
}
