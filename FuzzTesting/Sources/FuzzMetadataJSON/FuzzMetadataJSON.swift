import Foundation
import TFLiteMetadata

/// The metadata JSON spec parser (`ModelMetadata(json:)`, what `populate --metadata` reads),
/// then encoding what it accepted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMetadataJSON(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    if let metadata = try? ModelMetadata(json: text, source: "fuzz.json") {
        _ = try? metadata.flatBuffer()
        _ = try? metadata.canonicalJSON()
        _ = metadata.requiredParserVersion()
    }
    return 0
}
