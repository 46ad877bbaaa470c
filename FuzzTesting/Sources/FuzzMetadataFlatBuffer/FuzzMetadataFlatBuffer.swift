import Foundation
import TFLiteMetadata

/// The metadata FlatBuffer (`M001`) decoder: verify, decode, print JSON, re-encode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMetadataFlatBuffer(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    _ = try? ModelMetadata.json(fromFlatBuffer: bytes, source: "fuzz")
    if let metadata = try? ModelMetadata(flatBuffer: bytes, source: "fuzz") {
        _ = try? metadata.flatBuffer()
        _ = try? metadata.canonicalJSON()
        _ = metadata.requiredParserVersion()
    }
    return 0
}
