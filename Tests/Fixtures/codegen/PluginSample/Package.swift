// swift-tools-version: 6.1
// A package that uses the TFLiteCodegenPlugin build plugin: Sources/FlowerModels/Flowers.tflite becomes
// the `Flowers` class at build time and the model is bundled with the target.
// Build it with scripts/check_codegen_plugin.sh (it depends on the repository root by path).
import PackageDescription

let package = Package(
    name: "PluginSample",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TFLiteSwift", path: "../../../.."),
    ],
    targets: [
        .target(
            name: "FlowerModels",
            dependencies: [.product(name: "TFLiteRuntime", package: "TFLiteSwift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "TFLiteSwift")]
        ),
        .executableTarget(
            name: "flowers-demo",
            dependencies: ["FlowerModels", .product(name: "TFLiteRuntime", package: "TFLiteSwift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
