import Foundation
import PackagePlugin

/// Generates a typed Swift wrapper for every `.tflite` model in a target at build time, like Xcode
/// does for Core ML models: `Model.tflite` in the target gives `Model.swift` (class `Model`), and
/// the model is bundled as a resource the wrapper loads with `Model(configuration:options:)` from
/// `Bundle.module`. The model is the command's input, so editing it regenerates the wrapper.
@main
struct TFLiteCodegenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let models = ModelWrapperInvocation.models(in: target.sourceFiles.map(\.url))
        guard !models.isEmpty else { return [] }
        let tool = try context.tool(named: "tflcodegen").url
        return models.map { invocation in
            let output = context.pluginWorkDirectoryURL.appending(path: invocation.name)
            let typeName = ModelWrapperInvocation.typeName(invocation.name)
            return .buildCommand(
                displayName: "Generating \(typeName).swift from \(invocation.model.lastPathComponent)",
                executable: tool,
                arguments: invocation.arguments(output: output, bundleModel: true, documentation: false),
                inputFiles: [invocation.model],
                // A non-Swift output is bundled as a resource of the target.
                outputFiles: [output.appending(path: "\(typeName).swift"), output.appending(path: invocation.model.lastPathComponent)]
            )
        }
    }
}
