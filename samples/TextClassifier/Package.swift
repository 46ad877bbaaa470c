// swift-tools-version: 6.1
import PackageDescription

// A docstring classifier (regex tokenizer and vocabulary in its metadata): metadata added by
// `tflmeta populate --preset nl-classifier`, wrapper generated at build time by the tflcodegen
// plugin; held-out docstrings classified through it and checked against LiteRT.
let package = Package(
    name: "TextClassifier",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "TextClassifier",
            dependencies: [.product(name: "TFLiteRuntime", package: "tflite-swift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
