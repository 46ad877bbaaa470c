// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    // Dependents name the package by its identity, the last component of its URL or path:
    // clone it as `tflite-swift` (or `.package(name: "tflite-swift", path: …)`) to match.
    name: "tflite-swift",
    // The runtime uses Foundation, POSIX (mmap, pthreads) and Swift 6 typed throws; the kernels
    // detect CPU features with sysctl on Apple. macOS 15 / iOS 18: the kernel registry keeps
    // typed-throws closures (`KernelFactory`) in dictionaries, and the metadata of a typed-throws
    // function type needs the Swift 6 runtime (the compiler refuses it for older deployment
    // targets). Apple builds are not compiled here (Linux CI).
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "TFLiteMetadata", targets: ["TFLiteMetadata"]),
        .library(name: "TFLiteRuntime", targets: ["TFLiteRuntime"]),
        .library(name: "TFLiteImageIO", targets: ["TFLiteImageIO"]),
        .executable(name: "tflmeta", targets: ["tflmeta"]),
        .executable(name: "tflrun", targets: ["tflrun"]),
        .executable(name: "tflcodegen", targets: ["tflcodegen"]),
        .executable(name: "tflquant", targets: ["tflquant"]),
        .library(name: "TFLiteCodegen", targets: ["TFLiteCodegen"]),
        .library(name: "TFLiteQuantizer", targets: ["TFLiteQuantizer"]),
        .plugin(name: "TFLiteCodegenPlugin", targets: ["TFLiteCodegenPlugin"]),
        .plugin(name: "TFLiteCodegenCommand", targets: ["TFLiteCodegenCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // `make docs`: the DocC catalogs of the library products (Sources/<Product>/<Product>.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
        // PNG and JPEG decoding of TFLiteImageIO on Linux (Apple platforms use ImageIO).
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]
        ),
        .systemLibrary(
            name: "CLibJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]
        ),
        // The setjmp/longjmp of libpng and libjpeg stay in this C shim: it returns status codes.
        .target(
            name: "CImageDecoders",
            dependencies: [
                .target(name: "CLibPNG", condition: .when(platforms: [.linux])),
                .target(name: "CLibJPEG", condition: .when(platforms: [.linux])),
            ]
        ),

        // MARK: Embedding of top-level schemas/ and templates/ (`make embed` regenerates the
        // committed Sources/*/Generated/Embedded*.swift; tests check they match the folders)
        .executableTarget(name: "embed-resources"),

        // MARK: Libraries
        // No system library and no C++ below TFLiteRuntime: apps embed it (FlatBuffers are
        // verified by TFLiteModel's own verifier, generated from schemas/).
        .target(name: "TFLiteModel"),
        .target(
            name: "TFLiteMetadata",
            dependencies: ["TFLiteModel", "CFlatBuffers", "CLibzip"]
        ),

        .target(
            name: "TFLiteRuntime",
            dependencies: ["TFLiteModel", "CTFLiteKernels"]
        ),
        // C micro-kernels for the convolution family (runtime CPU dispatch, portable fallback).
        .target(name: "CTFLiteKernels"),
        // TensorImage from PNG and JPEG files (and CGImage / CVPixelBuffer on Apple platforms):
        // a separate product, so TFLiteRuntime itself needs no system library.
        .target(
            name: "TFLiteImageIO",
            dependencies: [
                "TFLiteModel", "TFLiteRuntime",
                .target(name: "CImageDecoders", condition: .when(platforms: [.linux])),
            ]
        ),

        // MARK: Post-training quantization (tflquant): model rewriting in TFLiteModel, calibration
        // on the runtime's interpreter, metadata and packed files kept through TFLiteMetadata.
        .target(
            name: "TFLiteQuantizer",
            dependencies: ["TFLiteModel", "TFLiteMetadata", "TFLiteRuntime", "TFLiteImageIO"]
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

        .executableTarget(
            name: "tflquant",
            dependencies: [
                "TFLiteQuantizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Code generation (tflcodegen, issue #6)
        .target(
            name: "TFLiteCodegen",
            dependencies: [
                "TFLiteMetadata",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "tflcodegen",
            dependencies: [
                "TFLiteCodegen",
                // KernelRegistry: operators the runtime cannot run are warned about at generation time.
                "TFLiteRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .plugin(
            name: "TFLiteCodegenPlugin",
            capability: .buildTool(),
            dependencies: ["tflcodegen"]
        ),
        .plugin(
            name: "TFLiteCodegenCommand",
            capability: .command(
                intent: .custom(verb: "generate-model-wrappers",
                                description: "Generates typed Swift wrappers for the .tflite models in targets"),
                permissions: [.writeToPackageDirectory(reason: "Writes the generated model wrappers into the target folders")]
            ),
            dependencies: ["tflcodegen"]
        ),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["TFLiteMetadata"], path: "Tests/TestSupport"),
        .testTarget(
            name: "TFLiteModelTests",
            dependencies: ["TFLiteModel", "TFLiteMetadata", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteMetadataTests",
            dependencies: ["TFLiteMetadata", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteRuntimeTests",
            dependencies: ["TFLiteRuntime", "TFLiteMetadata", "TestSupport", "tflrun"]
        ),
        .testTarget(
            name: "tflmetaTests",
            dependencies: ["tflmeta", "TFLiteMetadata", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteImageIOTests",
            dependencies: ["TFLiteImageIO", "TFLiteRuntime", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteCodegenTests",
            dependencies: ["TFLiteCodegen", "tflcodegen", "TFLiteRuntime", "TestSupport"]
        ),
        .testTarget(
            name: "CodegenGoldenTests",
            dependencies: ["TFLiteRuntime", "TestSupport"]
        ),
        .testTarget(
            name: "TFLiteQuantizerTests",
            dependencies: ["TFLiteQuantizer", "TFLiteMetadata", "TFLiteRuntime", "TestSupport", "tflquant"]
        ),
        .testTarget(
            name: "SamplesTests",
            dependencies: ["TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
