import ArgumentParser

/// `tflrun`: run TFLite models with the TFLiteRuntime interpreter.
@main
struct TFLRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tflrun",
        abstract: "Run TensorFlow Lite models with the Swift interpreter.",
        subcommands: [RunCommand.self, BenchCommand.self, OpsCommand.self]
    )
}
