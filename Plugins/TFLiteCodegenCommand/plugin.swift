import Foundation
import PackagePlugin

/// `swift package generate-model-wrappers [--target NAME]…`: writes `Name.swift` and `Name.md` for
/// each `.tflite` model into the package (beside the model, in `Generated/`), for projects that
/// commit generated code instead of using the build plugin.
@main
struct TFLiteCodegenCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let targetNames = Set(extractor.extractOption(named: "target"))
        let targets = context.package.targets.compactMap { $0 as? SourceModuleTarget }
            .filter { targetNames.isEmpty || targetNames.contains($0.name) }
        let tool = try context.tool(named: "tflcodegen").url
        var generated = 0
        for target in targets {
            for invocation in ModelWrapperInvocation.models(in: target.sourceFiles.map(\.url)) {
                let output = target.directoryURL.appending(path: "Generated")
                let process = Process()
                process.executableURL = tool
                process.arguments = invocation.arguments(output: output, bundleModel: false, documentation: true)
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    Diagnostics.error("tflcodegen failed for \(invocation.model.path)")
                    continue
                }
                print("Generated \(output.path)/\(ModelWrapperInvocation.typeName(invocation.name)).swift")
                generated += 1
            }
        }
        if generated == 0 { print("No .tflite models found in \(targetNames.isEmpty ? "the package's targets" : targetNames.sorted().joined(separator: ", ")).") }
    }
}
