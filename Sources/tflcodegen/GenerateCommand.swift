import ArgumentParser
import Foundation
import TFLiteCodegen
import TFLiteRuntime

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Writes Name.swift and Name.md for each model."
    )

    @OptionGroup var options: GeneratorOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "The output folder (created if needed).")
    var output: String

    @Flag(name: .customLong("no-docs"), help: "Do not write Name.md.")
    var noDocs = false

    @Flag(name: .customLong("copy-model"), help: "Also copy the model into the output folder (the build plugin bundles it as a resource).")
    var copyModel = false

    @Flag(name: .customLong("quiet"), help: "Print only errors and warnings (no notes).")
    var quiet = false

    func run() throws {
        var diagnostics = Diagnostics()
        do {
            var planned: [OutputWriter.Planned] = []
            for model in options.models {
                let pipeline = GeneratorPipeline(configuration: options.configuration(for: model), operatorSupport: { KernelRegistry.supports($0) })
                let files = try pipeline.run(diagnostics: &diagnostics)
                planned.append(OutputWriter.Planned(modelPath: model, files: files))
            }
            try OutputWriter.checkCollisions(planned, in: output, documentation: !noDocs, copyModel: copyModel)
            for model in planned {
                try OutputWriter.write(model.files, to: output, documentation: !noDocs)
                if copyModel { try OutputWriter.copyModel(model.modelPath, to: output) }
            }
            for diagnostic in diagnostics.all where !quiet || diagnostic.severity != .note { Console.error(diagnostic.description) }
        } catch {
            for diagnostic in diagnostics.all where diagnostic.severity == .warning { Console.error(diagnostic.description) }
            Console.error("error: \(error.description)")
            throw ExitCode(1)
        }
    }
}

enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
