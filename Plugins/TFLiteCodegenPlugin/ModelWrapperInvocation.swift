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

    /// `mobilenet_v2` → `MobilenetV2`; names that are already types are kept. ASCII letters and
    /// digits only, at most 64 characters; keywords and names of modules or types the wrapper
    /// uses get `Model` appended (`Foundation` → `FoundationModel`), as tflcodegen's own
    /// `SwiftSource.typeName` does, so `--class-name` always passes.
    static func typeName(_ stem: String) -> String {
        var result = ""
        var upper = true
        for scalar in stem.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) {
                result += upper ? String(scalar).uppercased() : String(scalar)
                upper = false
            } else {
                upper = true
            }
        }
        if result.isEmpty || result.first?.isNumber == true { result = "Model" + result }
        result = String(result.prefix(64))
        if reserved.contains(result) { result += "Model" }
        return result
    }

    /// Keywords and module or type names a wrapper's class may not take (see SwiftSource).
    static let reserved: Set<String> = [
        "Any", "Self", "Type", "Protocol", "Swift", "Foundation", "TFLiteRuntime", "TFLiteModel", "TFLiteMetadata",
        "TFLiteCodegen", "Dispatch", "Darwin", "Glibc", "Musl", "WinSDK", "SwiftShims", "CoreFoundation",
        "FoundationEssentials", "FoundationInternationalization", "ObjectiveC", "CFlatBuffers", "CTFLiteKernels",
        "XCTest", "Testing", "Observation", "Synchronization", "SwiftUI", "UIKit", "AppKit", "Combine",
        "Configuration", "Version",
    ]
}
