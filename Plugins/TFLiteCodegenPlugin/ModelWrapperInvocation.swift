import Foundation
import PackagePlugin

// Shared by the build plugin and the command plugin (the command plugin's copy is a symlink, as
// swift-openapi-generator shares its plugin code).

/// One `.tflite` model in a target and the `tflcodegen` arguments that wrap it.
struct ModelWrapperInvocation {
    /// The model file.
    var model: URL
    /// `Model` for `Model.tflite`: the class name and the resource name.
    var name: String

    /// The `.tflite` files among `files`, sorted.
    static func models(in files: [URL]) -> [ModelWrapperInvocation] {
        files.filter { $0.pathExtension == "tflite" }
            .sorted { $0.path < $1.path }
            .map { ModelWrapperInvocation(model: $0, name: $0.deletingPathExtension().lastPathComponent) }
    }

    /// Arguments for `tflcodegen generate`.
    func arguments(output: URL, bundleModel: Bool, documentation: Bool) -> [String] {
        var arguments = ["generate", model.path, "-o", output.path, "--class-name", Self.typeName(name), "--bundle", "module", "--quiet"]
        if bundleModel { arguments += ["--copy-model"] }
        if !documentation { arguments.append("--no-docs") }
        return arguments
    }

    /// `mobilenet_v2` → `MobilenetV2`; names that are already types are kept.
    static func typeName(_ stem: String) -> String {
        var result = ""
        var upper = true
        for character in stem {
            if character.isLetter || character.isNumber {
                result.append(upper ? Character(character.uppercased()) : character)
                upper = false
            } else {
                upper = true
            }
        }
        if result.isEmpty || result.first!.isNumber { result = "Model" + result }
        return result
    }
}
