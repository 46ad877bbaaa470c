// swift-tools-version: 6.1
import PackageDescription

// MediaPipe's hand_landmark_lite.tflite, whose metadata does not fit it (a 2-label handedness.txt
// on the 63 landmark coordinates): the tflcodegen plugin generates the generic wrapper with a
// warning in the build log instead of failing the build. The `HandModels` target holds nothing but
// the model, which scripts/fetch_model.py takes from the mediapipe wheel on PyPI (2 MB, not committed).
let package = Package(
    name: "HandLandmark",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: "../.."),
    ],
    targets: [
        .target(
            name: "HandModels",
            dependencies: [.product(name: "TFLiteRuntime", package: "tflite-swift")],
            plugins: [.plugin(name: "TFLiteCodegenPlugin", package: "tflite-swift")]
        ),
        .executableTarget(
            name: "HandLandmark",
            dependencies: ["HandModels", .product(name: "TFLiteRuntime", package: "tflite-swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
