// swift-tools-version: 6.1
import PackageDescription

// The digit classifier story: five quantized variants of one model, each with metadata added by
// `tflmeta populate` and a Swift wrapper generated at build time by the tflcodegen plugin.
let package = Package(
    name: "DigitClassifier",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "DigitClassifier",
            dependencies: [.product(name: "TFLiteRuntime", package: "tflite-swift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
