import Foundation
import PackagePlugin

/// Embeds the package's top-level resource folders into the targets that need them, so an
/// installed executable works from anywhere: `schemas/*.fbs` into `TFLiteModel` and
/// `templates/*.mustache` into `TFLiteCodegen`. The folders stay the single source of truth.
@main
struct EmbedResources: BuildToolPlugin {
    /// Which folder and file extension each target embeds, and the Swift type that holds them.
    static let embeddings: [String: (folder: String, fileExtension: String, typeName: String)] = [
        "TFLiteModel": ("schemas", "fbs", "EmbeddedSchemas"),
        "TFLiteCodegen": ("templates", "mustache", "EmbeddedTemplates"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let embedding = Self.embeddings[target.name] else { return [] }
        let folder = context.package.directoryURL.appending(path: embedding.folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path())
            .filter { $0.hasSuffix("." + embedding.fileExtension) }
            .sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(embedding.typeName).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(embedding.folder)/ into \(target.name)",
                executable: try context.tool(named: "embed-resources").url,
                arguments: [embedding.typeName, output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
