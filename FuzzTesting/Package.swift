// swift-tools-version: 6.1
// libFuzzer targets for the readers and the interpreter (issue #8), in a package of their own
// as swift-protobuf's FuzzTesting/ does, so the main package's manifest stays free of sanitizer
// flags. Build and run them with `scripts/fuzz.sh`; see docs/FUZZING.md.
import PackageDescription

let package = Package(
    name: "FuzzTesting",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tflite-swift", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
        .executableTarget(name: "FuzzModel", dependencies: ["FuzzSupport", .product(name: "TFLiteMetadata", package: "tflite-swift")]),
        .executableTarget(name: "FuzzMetadataFlatBuffer", dependencies: ["FuzzSupport", .product(name: "TFLiteMetadata", package: "tflite-swift")]),
        .executableTarget(name: "FuzzMetadataJSON", dependencies: ["FuzzSupport", .product(name: "TFLiteMetadata", package: "tflite-swift")]),
        .executableTarget(name: "FuzzZip", dependencies: ["FuzzSupport", .product(name: "TFLiteMetadata", package: "tflite-swift")]),
        .executableTarget(name: "FuzzNumPy", dependencies: ["FuzzSupport", .product(name: "TFLiteRuntime", package: "tflite-swift")]),
        .executableTarget(name: "FuzzInterpreter", dependencies: ["FuzzSupport", .product(name: "TFLiteRuntime", package: "tflite-swift")]),
        .executableTarget(name: "FuzzVerifier", dependencies: ["FuzzSupport", .product(name: "TFLiteMetadata", package: "tflite-swift")]),
        .executableTarget(name: "FuzzCodegen", dependencies: ["FuzzSupport", .product(name: "TFLiteCodegen", package: "tflite-swift")]),
        .executableTarget(name: "FuzzImageDecoding", dependencies: ["FuzzSupport", .product(name: "TFLiteImageIO", package: "tflite-swift")]),
        .executableTarget(name: "FuzzQuantize", dependencies: ["FuzzSupport", .product(name: "TFLiteQuantizer", package: "tflite-swift")]),
    ],
    swiftLanguageModes: [.v6]
)
