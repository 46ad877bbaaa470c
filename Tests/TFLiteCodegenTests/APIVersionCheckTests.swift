import Foundation
import Testing
import TestSupport
import TFLiteModel
@testable import TFLiteCodegen
@_spi(GeneratedCode) import TFLiteRuntime

/// Generated code states the runtime API version it was made for (like swift-protobuf's
/// `ProtobufAPIVersionCheck`): against a runtime without that version it does not compile, with
/// an error at the marker.
@Suite struct APIVersionCheckTests {
    static let products = CommandRunner.productsDirectory
    static let modules = products.appending(path: "Modules")
    static let moduleMap = products.appending(path: "CFlatBuffers.build/module.modulemap")
    static let kernelsModuleMap = products.appending(path: "CTFLiteKernels.build/module.modulemap")
    static var available: Bool {
        FileManager.default.fileExists(atPath: modules.appending(path: "TFLiteRuntime.swiftmodule").path)
            && FileManager.default.fileExists(atPath: moduleMap.path)
    }

    /// Type-checks `source` against the built TFLiteRuntime; returns the compiler's errors.
    static func typecheck(_ source: String) throws -> (status: Int32, errors: String) {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "Generated.swift")
        try Data(source.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", modules.path,
                             "-Xcc", "-fmodule-map-file=\(moduleMap.path)",
                             "-Xcc", "-fmodule-map-file=\(kernelsModuleMap.path)",
                             "-Xcc", "-I", "-Xcc", Fixtures.root.appending(path: "Sources/CTFLiteKernels/include").path,
                             "-Xcc", "-I", "-Xcc", Fixtures.root.appending(path: "Sources/CFlatBuffers/include").path,
                             file.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: available, "needs the built TFLiteRuntime module"))
    func generatedCodeCompilesOnlyAgainstItsRuntimeVersion() throws {
        let golden = try String(contentsOf: Fixtures.root.appending(path: "Tests/CodegenGoldenTests/Generated/PlainFloat.swift"), encoding: .utf8)
        let current = try Self.typecheck(golden)
        #expect(current.status == 0, "\(current.errors)")
        let version = GeneratedCodeAPI.version
        let future = try Self.typecheck(golden.replacingOccurrences(of: "TFLiteRuntimeAPIVersion_\(version)", with: "TFLiteRuntimeAPIVersion_\(version + 1)"))
        #expect(future.status != 0)
        #expect(future.errors.contains("no type named 'TFLiteRuntimeAPIVersion_\(version + 1)' in module 'TFLiteRuntime'"))
        // A wrapper of version 1 (a plain `import TFLiteRuntime`, before the generated-code
        // support became SPI) fails at its marker too.
        let old = golden.replacingOccurrences(of: "TFLiteRuntimeAPIVersion_\(version)", with: "TFLiteRuntimeAPIVersion_1")
            .replacingOccurrences(of: "@_spi(GeneratedCode) import TFLiteRuntime", with: "import TFLiteRuntime")
        let past = try Self.typecheck(old)
        #expect(past.status != 0)
        #expect(past.errors.contains("no type named 'TFLiteRuntimeAPIVersion_1' in module 'TFLiteRuntime'"))
    }

    /// The number the generator writes is the one shared with the runtime
    /// (`TFLiteModel.GeneratedCodeAPI`), and the runtime has the protocol of that number.
    @Test(.enabled(if: available, "needs the built TFLiteRuntime module"))
    func generatorAndRuntimeShareTheVersion() throws {
        let version = GeneratedCodeAPI.version
        #expect(TFLiteRuntimeAPI.version == version)
        let marker = "TFLiteRuntime.TFLiteRuntimeAPIVersion_\(version)"
        let check = try Self.typecheck("import TFLiteRuntime\nstruct Marker: \(marker) {}\n")
        #expect(check.status == 0, "\(check.errors)")
        var diagnostics = Diagnostics()
        let files = try GeneratorPipeline(configuration: .init(modelPath: Fixtures.url("codegen/models/PlainFloat.tflite").path))
            .run(diagnostics: &diagnostics)
        #expect(files.swiftSource.contains("struct _\(version): \(marker) {}"))
    }
}
