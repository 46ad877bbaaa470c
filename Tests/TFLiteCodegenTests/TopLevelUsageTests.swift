import Foundation
import Testing
import TestSupport

/// The usage a generated `Name.md` shows is top-level code (`main.swift`): compiled with a golden
/// wrapper, warnings as errors, `try await model.prediction(…)` must call the async prediction
/// (Swift ranks a synchronous overload of the same name first in top-level code, with only a
/// warning: "no 'async' operations occur within 'await' expression").
@Suite struct TopLevelUsageTests {
    static let golden = Fixtures.root.appending(path: "Tests/CodegenGoldenTests/Generated/ImageClassifierFloat.swift")
    static let document = Fixtures.url("codegen/goldens/ImageClassifierFloat.md")

    /// Type-checks `ImageClassifierFloat.swift` and `main.swift` as one module, warnings as errors.
    static func typecheck(wrapper: String, main: String) throws -> (status: Int32, errors: String) {
        let result = try WrapperTypecheck.typecheck(exactly: [("ImageClassifierFloat.swift", wrapper), ("main.swift", main)],
                                                    extraArguments: ["-warnings-as-errors"])
        return (result.status, result.errors)
    }

    /// The Swift snippet of the usage document, with the `pixels` it assumes.
    static func snippet() throws -> String {
        let document = try String(contentsOf: Self.document, encoding: .utf8)
        guard let start = document.range(of: "```swift\n"), let end = document.range(of: "```", range: start.upperBound..<document.endIndex) else {
            Issue.record("no swift snippet in \(Self.document.lastPathComponent)")
            return ""
        }
        let code = String(document[start.upperBound..<end.lowerBound])
        return code.replacingOccurrences(of: "import TFLiteRuntime\n", with: "import TFLiteRuntime\n\nlet pixels = [Swift.UInt8](repeating: 0, count: 32 * 32 * 3)\n")
    }

    @Test(.enabled(if: APIVersionCheckTests.available, "needs the built TFLiteRuntime module"))
    func documentedTopLevelUsageCallsTheAsyncPrediction() throws {
        let wrapper = try String(contentsOf: Self.golden, encoding: .utf8)
        let main = try Self.snippet() + """

            // Code that is not async calls the blocking form.
            func classify(_ image: TFLiteRuntime.TensorImage, with model: ImageClassifierFloat) throws -> Swift.String? {
                try model.blockingPrediction(image: image).probability.first?.label
            }
            let batch = try await model.predictions([ImageClassifierFloatInput(image: TFLiteRuntime.TensorImage(width: 32, height: 32, rgb: pixels))])
            print(batch.count, ImageClassifierFloat.modelDescription.inputs.count)
            """
        #expect(main.contains("let output = try await model.prediction(image:"))
        let result = try Self.typecheck(wrapper: wrapper, main: main)
        #expect(result.status == 0, "\(result.errors)")
    }

    /// The check above can fail: with a synchronous `prediction(image:)` beside the async one (the
    /// overload set before), the same top-level code gets the warning.
    @Test(.enabled(if: APIVersionCheckTests.available, "needs the built TFLiteRuntime module"))
    func aSameNamedSyncOverloadWouldBeChosen() throws {
        let wrapper = try String(contentsOf: Self.golden, encoding: .utf8)
        let marker = "    /// ``predictions(_:)`` for code that is not async"
        #expect(wrapper.contains(marker))
        let withSyncOverload = wrapper.replacingOccurrences(of: marker, with: """
                public func prediction(image: TFLiteRuntime.TensorImage) throws -> ImageClassifierFloatOutput {
                    try blockingPrediction(image: image)
                }

            \(marker)
            """)
        let result = try Self.typecheck(wrapper: withSyncOverload, main: try Self.snippet())
        #expect(result.status != 0)
        #expect(result.errors.contains("no 'async' operations occur within 'await' expression"), "\(result.errors)")
    }
}
