import Foundation
import Testing
import TestSupport
@testable import TFLiteCodegen

/// Inputs that crashed `FuzzCodegen` (`Tests/Fixtures/fuzz-regressions/codegen/`), run as the
/// target runs them: read from a file, translated, rendered, and the result re-lexed.
@Suite struct FuzzRegressionCodegenTests {
    static let directory = Fixtures.url("fuzz-regressions/codegen")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func thereAreRegressionInputs() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test(arguments: inputs)
    func generatorRefusesOrMakesCleanCode(_ name: String) {
        let path = Self.directory.appending(path: name).path
        var diagnostics = Diagnostics()
        do {
            let files = try GeneratorPipeline(configuration: GeneratorConfiguration(modelPath: path)).run(diagnostics: &diagnostics)
            var problems: [String] = []
            _ = GeneratedCodeCheck.lex(files.swiftSource, problems: &problems)
            #expect(problems.isEmpty)
        } catch {
            #expect(!error.reason.hasPrefix("internal error"), "\(error)")
        }
    }

    /// The first crash: an input tensor of shape 2^32 × 2^32 × … overflowed the element count.
    @Test func aShapeWhoseElementCountOverflowsIsRefused() {
        #expect(ParsedModel.elementCount([1 << 32, 1 << 32]) == nil)
        #expect(ParsedModel.elementCount([2, -1]) == nil)
        #expect(ParsedModel.elementCount([1, 224, 224, 3]) == 150_528)
        #expect(ParsedModel.elementCount([]) == 1)
        let path = Self.directory.appending(path: "crash-element-count-overflow.tflite").path
        #expect(throws: CodegenError.self) { try ParsedModel(path: path) }
    }
}
