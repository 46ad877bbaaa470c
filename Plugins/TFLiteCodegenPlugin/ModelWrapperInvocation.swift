import Foundation
import PackagePlugin

// Shared by the build plugin and the command plugin (the command plugin's copy is a symlink, as
// swift-openapi-generator shares its plugin code). Names come from SwiftIdentifier.swift, the
// file tflcodegen itself names with (a symlink too), so the plugin knows the files the tool writes.

/// One `.tflite` model in a target and the `tflcodegen` arguments that wrap it.
struct ModelWrapperInvocation {
    /// The model file.
    var model: URL
    /// The wrapper's type name, from the file name (`face_detector.tflite` → `FaceDetector`).
    var typeName: String
    /// Whether the target declares the model as a resource (`resources: [.copy(…)]`).
    var isDeclaredResource = false

    /// `FaceDetector.swift`.
    var swiftFileName: String { typeName + ".swift" }
    /// `face_detector.tflite`: the name the model has in the target's resource bundle.
    var resourceFileName: String { model.lastPathComponent }

    init(model: URL, isDeclaredResource: Bool = false) {
        self.model = model
        self.typeName = SwiftIdentifier.typeName(forModelFile: model.lastPathComponent)
        self.isDeclaredResource = isDeclaredResource
    }

    /// The `.tflite` files of `target`, sorted by path.
    static func models(in target: SourceModuleTarget) -> [ModelWrapperInvocation] {
        target.sourceFiles.filter { $0.url.pathExtension == "tflite" }
            .sorted { $0.url.path < $1.url.path }
            .map { ModelWrapperInvocation(model: $0.url, isDeclaredResource: $0.type == .resource) }
    }

    /// Arguments for `tflcodegen generate`: the class named from the file name, as `typeName`.
    /// `--quiet` hides notes only: warnings (no metadata, metadata that does not fit, operators
    /// the runtime lacks) reach the build log.
    func arguments(output: URL, bundle: String, copyModel: Bool, documentation: Bool) -> [String] {
        var arguments = ["generate", model.path, "-o", output.path, "--name-from-file", "--bundle", bundle, "--quiet"]
        if copyModel { arguments += ["--copy-model"] }
        if !documentation { arguments.append("--no-docs") }
        return arguments
    }

    /// The models' file path relative to `base` (`a/nl.tflite`), for messages.
    func displayPath(in base: URL) -> String {
        let basePath = base.standardizedFileURL.path
        let path = model.standardizedFileURL.path
        return path.hasPrefix(basePath + "/") ? String(path.dropFirst(basePath.count + 1)) : path
    }

    /// Messages for models of one target that would generate one file: the same class name
    /// (`face_detector.tflite` and `face-detector.tflite` are both `FaceDetector`) or the same
    /// resource name (`a/nl.tflite` and `b/nl.tflite` are both `nl.tflite` in the bundle).
    /// Names are compared as a case-insensitive file system sees them. Empty when all differ.
    static func collisions(_ models: [ModelWrapperInvocation], target: SourceModuleTarget) -> [String] {
        var problems: [String] = []
        var byType: [String: ModelWrapperInvocation] = [:]
        var byResource: [String: ModelWrapperInvocation] = [:]
        let base = target.directoryURL
        for model in models {
            let typeKey = model.typeName.lowercased()
            let resourceKey = model.resourceFileName.precomposedStringWithCanonicalMapping.lowercased()
            if let other = byResource[resourceKey] {
                problems.append("""
                    target '\(target.name)': \(other.displayPath(in: base)) and \(model.displayPath(in: base)) would both be \
                    bundled as \(model.resourceFileName) and both generate \(model.swiftFileName) (class \(model.typeName)): \
                    a target's models share one resource bundle, so rename one of the files \
                    (the class is named from the file name, e.g. \(model.displayPath(in: base)) → \(Self.renamedExample(model)))
                    """)
            } else if let other = byType[typeKey] {
                problems.append("""
                    target '\(target.name)': \(other.displayPath(in: base)) and \(model.displayPath(in: base)) would both \
                    generate \(model.swiftFileName) (class \(model.typeName)\(other.typeName == model.typeName ? "" : " / \(other.typeName)")): \
                    rename one of the files (the class is named from the file name, e.g. \(model.displayPath(in: base)) → \
                    \(Self.renamedExample(model)))
                    """)
            }
            byType[typeKey] = byType[typeKey] ?? model
            byResource[resourceKey] = byResource[resourceKey] ?? model
        }
        return problems
    }

    /// `nl.tflite` → `nl2.tflite`, for messages.
    private static func renamedExample(_ model: ModelWrapperInvocation) -> String {
        model.model.deletingPathExtension().lastPathComponent + "2.tflite"
    }
}
