import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory generate-model-wrappers [--target NAME]… [--bundle main|module]`:
/// writes `Name.swift` for each `.tflite` model of the targets into the package (`Generated/` in
/// the target's folder), for projects that commit generated code instead of using the build
/// plugin. The wrapper loads the model from `Bundle.module` when the target declares it as a
/// resource (or with `--bundle module`, for a target the build plugin is applied to: it bundles
/// the model and generates nothing for it), else from `Bundle.main`.
@main
struct TFLiteCodegenCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let targetNames = Set(extractor.extractOption(named: "target"))
        let bundles = extractor.extractOption(named: "bundle")
        if let unknown = extractor.remainingArguments.first {
            throw PluginFailure("generate-model-wrappers: unknown argument '\(unknown)' (it takes --target NAME, repeatable, and --bundle main|module)")
        }
        guard bundles.count <= 1, bundles.allSatisfy({ $0 == "main" || $0 == "module" }) else {
            throw PluginFailure("generate-model-wrappers: --bundle takes main or module, once (got \(bundles.joined(separator: ", ")))")
        }
        let targets = context.package.targets.compactMap { $0 as? SourceModuleTarget }
            .filter { targetNames.isEmpty || targetNames.contains($0.name) }
        let missing = targetNames.subtracting(targets.map(\.name))
        if !missing.isEmpty {
            throw PluginFailure("generate-model-wrappers: no source target named \(missing.sorted().joined(separator: ", ")) in package '\(context.package.displayName)'")
        }
        let tool = try context.tool(named: "tflcodegen").url
        var generated = 0
        var failed = 0
        for target in targets {
            let models = ModelWrapperInvocation.models(in: target)
            let problems = ModelWrapperInvocation.collisions(models, target: target)
            if !problems.isEmpty {
                for problem in problems { Diagnostics.error(problem) }
                failed += models.count
                continue
            }
            let output = target.directoryURL.appending(path: "Generated")
            for invocation in models {
                // A command plugin cannot see whether the build plugin is applied too (and then
                // bundles the model): --bundle module says so.
                let inModuleBundle = bundles.first.map { $0 == "module" } ?? invocation.isDeclaredResource
                let process = Process()
                process.executableURL = tool
                // No Name.md: a Markdown file among a target's sources is an unhandled file to SwiftPM.
                process.arguments = invocation.arguments(output: output, bundle: inModuleBundle ? "module" : "main",
                                                         copyModel: false, documentation: false)
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    Diagnostics.error("tflcodegen failed for \(invocation.model.path) (its message is above)")
                    failed += 1
                    continue
                }
                print("Generated \(output.path)/\(invocation.swiftFileName)")
                if !inModuleBundle {
                    print("  \(invocation.resourceFileName) is not a resource of '\(target.name)': \(invocation.typeName)() looks in Bundle.main; "
                          + "declare it (resources: [.copy(\"\(invocation.displayPath(in: target.directoryURL))\")]) and rerun to load it from Bundle.module; "
                          + "with TFLiteCodegenPlugin applied to the target, which bundles it, rerun with --bundle module")
                }
                generated += 1
            }
        }
        if failed > 0 { throw PluginFailure("generate-model-wrappers: \(failed) model(s) failed, \(generated) generated") }
        if generated == 0 { print("No .tflite models found in \(targetNames.isEmpty ? "the package's targets" : targetNames.sorted().joined(separator: ", ")).") }
    }
}

/// A plugin error with its message.
struct PluginFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
