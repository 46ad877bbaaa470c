// swift-tools-version: 6.1
import PackageDescription

// A small SSD-style digit detector (TFLite_Detection_PostProcess, a detection tensor group):
// metadata added by `tflmeta populate --preset object-detector`, wrapper generated at build time
// by the tflcodegen plugin, detections checked against the scenes' known boxes.
let package = Package(
    name: "ObjectDetector",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "ObjectDetector",
            dependencies: [.product(name: "TFLiteRuntime", package: "tflite-swift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
