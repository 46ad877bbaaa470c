import Testing
import TestSupport
@testable import TFLiteMetadata

/// The schemas compiled into the library are the ones in `schemas/`.
@Suite struct EmbeddedSchemasTests {
    @Test func embeddedSchemasMatchTheFolder() throws {
        #expect(try EmbeddedFilesCheck.differences(EmbeddedSchemas.files, folder: "schemas", extension: "fbs") == [])
        #expect(EmbeddedSchemas.files.keys.sorted() == ["metadata.fbs", "tflite.fbs"])
    }
}
