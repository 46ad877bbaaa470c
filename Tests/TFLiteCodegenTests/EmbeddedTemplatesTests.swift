import Testing
import TestSupport
@testable import TFLiteCodegen

/// The templates compiled into tflcodegen are the ones in `templates/`.
@Suite struct EmbeddedTemplatesTests {
    @Test func embeddedTemplatesMatchTheFolder() throws {
        #expect(try EmbeddedFilesCheck.differences(EmbeddedTemplates.files, folder: "templates", extension: "mustache") == [])
        #expect(!EmbeddedTemplates.files.isEmpty)
    }
}
