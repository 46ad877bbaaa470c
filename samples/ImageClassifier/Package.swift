// swift-tools-version: 6.1
import PackageDescription

// A MobileNet-style int8 classifier (depthwise-separable blocks): metadata added by `tflmeta
// populate --preset image-classifier`, wrapper generated at build time by the tflcodegen plugin;
// classifies committed PNG images decoded by the TFLiteImageIO product
// (libpng and libjpeg-turbo on Linux, Debian: libpng-dev, libjpeg62-turbo-dev; ImageIO on Apple).
let package = Package(
    name: "ImageClassifier",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "ImageClassifier",
            dependencies: [
                .product(name: "TFLiteRuntime", package: "tflite-swift"),
                .product(name: "TFLiteImageIO", package: "tflite-swift"),
            ],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
