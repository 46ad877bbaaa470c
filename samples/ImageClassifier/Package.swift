// swift-tools-version: 6.1
import PackageDescription

// A MobileNet-style int8 classifier (depthwise-separable blocks): metadata added by `tflmeta
// populate --preset image-classifier`, wrapper generated at build time by the tflcodegen plugin;
// classifies committed PNG images decoded with libpng (Debian: libpng-dev).
let package = Package(
    name: "ImageClassifier",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TFLiteSwift", path: "../.."),
    ],
    targets: [
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .executableTarget(
            name: "ImageClassifier",
            dependencies: ["CPNG", .product(name: "TFLiteRuntime", package: "TFLiteSwift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "TFLiteSwift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
