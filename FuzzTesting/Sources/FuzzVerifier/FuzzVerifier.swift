import Foundation
import TFLiteMetadata

/// Differential fuzzing of the runtime's FlatBuffers verifier (TFLiteModel's, generated from
/// `schemas/`) against libflatbuffers' reflection verifier: every input is checked as a model
/// (`TFL3`) and as metadata (`M001`), its file identifier set to the schema's so that the fuzzer
/// need not find it, and the two verdicts must be the same. A disagreement prints both and stops
/// the fuzzer with the input saved as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerifier(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    for schema in [FlatBufferSchema.model, FlatBufferSchema.metadata] {
        if bytes.count >= 8 {
            bytes.replaceSubrange(4..<8, with: Array(schema.fileIdentifier.utf8))
        }
        bytes.withUnsafeBytes { raw in
            let ours = schema.runtimeVerifierProblem(raw)
            let library = schema.verify(raw)
            if (ours == nil) != (library == nil) {
                FileHandle.standardError.write(Data("""
                    FuzzVerifier: verdicts differ on a \(raw.count)-byte \(schema.fileIdentifier) buffer
                      ours: \(ours ?? "valid")
                      libflatbuffers: \(library ?? "valid")

                    """.utf8))
                abort()
            }
        }
    }
    return 0
}
