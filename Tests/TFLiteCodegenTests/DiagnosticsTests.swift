import Testing
import TFLiteCodegen
import TFLiteMetadata

/// The code generator reports with the metadata validator's `Diagnostic` (issue #21): one type,
/// one rendering, model text escaped.
@Suite struct DiagnosticsTests {
    @Test func codegenFindingsAreMetadataDiagnostics() {
        var diagnostics = Diagnostics()
        diagnostics.warning("no labels\u{1b}[2J", context: "m.tflite: output tensor \"probability\"")
        diagnostics.note("plain")
        let found: [TFLiteMetadata.Diagnostic] = diagnostics.all
        #expect(found.map(\.description) == [
            "warning: m.tflite: output tensor \"probability\": no labels\\u{1b}[2J",
            "note: plain",
        ])
        #expect(found.map(\.context) == ["m.tflite: output tensor \"probability\"", nil])
        #expect(found.map(\.rule) == ["codegen", "codegen"])
        #expect(!found.hasErrors)
        #expect(Diagnostic.Severity.note < .warning && Diagnostic.Severity.warning < .error)
    }
}
