import Foundation
import PackagePlugin

/// Generates a typed Swift wrapper for every `.tflite` model in a target at build time, like Xcode
/// does for Core ML models: `Model.tflite` in the target gives `Model.swift` (class `Model`), and
/// the model is bundled as a resource the wrapper loads with `Model(configuration:options:)` from
/// `Bundle.module`. The model is the command's input, so editing it regenerates the wrapper.
///
/// Two models that would generate one file (`face_detector.tflite` and `face-detector.tflite`,
/// or `a/nl.tflite` and `b/nl.tflite`) stop the build with an error naming both. A model whose
/// wrapper is already among the target's sources (`Generated/Model.swift`, written by the
/// `generate-model-wrappers` command) is only bundled, so the two plugins do not clash.
@main
struct TFLiteCodegenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let models = ModelWrapperInvocation.models(in: target)
        guard !models.isEmpty else { return [] }
        let problems = ModelWrapperInvocation.collisions(models, target: target)
        if !problems.isEmpty {
            for problem in problems { Diagnostics.error(problem) }
            throw PluginFailure("TFLiteCodegenPlugin: \(problems.count) name collision\(problems.count == 1 ? "" : "s") in target '\(target.name)' (above)")
        }
        let committed = Set(target.sourceFiles.filter { $0.url.pathExtension == "swift" }.map { $0.url.lastPathComponent.lowercased() })
        let tool = try context.tool(named: "tflcodegen").url
        return models.compactMap { invocation in
            let output = context.pluginWorkDirectoryURL.appending(path: invocation.typeName)
            // A non-Swift output is bundled as a resource of the target, unless the target
            // declares the model as a resource itself.
            let copy = !invocation.isDeclaredResource
            let bundledModel = copy ? [output.appending(path: invocation.resourceFileName)] : []
            let arguments = invocation.arguments(output: output, bundle: "module", copyModel: copy, documentation: false)
            if committed.contains(invocation.swiftFileName.lowercased()) {
                guard copy else { return nil }
                return .buildCommand(
                    displayName: "Bundling \(invocation.resourceFileName) (its wrapper \(invocation.swiftFileName) is in the target)",
                    executable: tool, arguments: arguments, inputFiles: [invocation.model], outputFiles: bundledModel
                )
            }
            return .buildCommand(
                displayName: "Generating \(invocation.swiftFileName) from \(invocation.resourceFileName)",
                executable: tool, arguments: arguments, inputFiles: [invocation.model],
                outputFiles: [output.appending(path: invocation.swiftFileName)] + bundledModel
            )
        }
    }
}

/// A plugin error with its message (also reported through `Diagnostics.error`).
struct PluginFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
