// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "TFLiteSwift",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TFLiteMetadata", targets: ["TFLiteMetadata"]),
        .library(name: "TFLiteRuntime", targets: ["TFLiteRuntime"]),
        .executable(name: "tflmeta", targets: ["tflmeta"]),
        .executable(name: "tflrun", targets: ["tflrun"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: System libraries
        .target(
            name: "CFlatBuffers",
            linkerSettings: [.linkedLibrary("flatbuffers")]
        ),
        .systemLibrary(
            name: "CLibzip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"])]
        ),

        // MARK: Build-time embedding of top-level schemas/ and templates/
        .executableTarget(name: "embed-resources"),
        .plugin(
            name: "EmbedResources",
            capability: .buildTool(),
            dependencies: ["embed-resources"]
        ),

        // MARK: Libraries
        .target(
            name: "TFLiteModel",
            dependencies: ["CFlatBuffers"],
            plugins: ["EmbedResources"]
        ),
        .target(
            name: "TFLiteMetadata",
            dependencies: ["TFLiteModel", "CFlatBuffers", "CLibzip"]
        ),

        .target(
            name: "TFLiteRuntime",
            dependencies: ["TFLiteModel"]
        ),

        // MARK: Command-line tools
        .executableTarget(
            name: "tflmeta",
            dependencies: [
                "TFLiteMetadata",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .executableTarget(
            name: "tflrun",
            dependencies: [
                "TFLiteRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "TFLiteModelTests",
            dependencies: ["TFLiteModel", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteMetadataTests",
            dependencies: ["TFLiteMetadata", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteRuntimeTests",
            dependencies: ["TFLiteRuntime", "TestSupport"]
        ),
        .testTarget(
            name: "tflmetaTests",
            dependencies: ["tflmeta", "TFLiteMetadata", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
