// swift-tools-version: 6.1
// A package that uses the TFLiteCodegenPlugin build plugin: Sources/FlowerModels/Flowers.tflite becomes
// the `Flowers` class at build time and the model is bundled with the target.
// Build it with scripts/check_codegen_plugin.sh (it depends on the repository root by path).
import PackageDescription

let package = Package(
    name: "PluginSample",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../../../.."),
    ],
    targets: [
        .target(
            name: "FlowerModels",
            dependencies: [.product(name: "TFLiteRuntime", package: "tflite-swift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
        .executableTarget(
            name: "flowers-demo",
            dependencies: ["FlowerModels", .product(name: "TFLiteRuntime", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
