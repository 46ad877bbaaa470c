import Foundation
import TFLiteMetadata

/// The model reader and verifier, and everything `tflmeta show`, `show --json`, `files` and
/// `validate` do with a model that verified: summary, metadata JSON and decoding, packed files
/// (with their CRC), validation, re-encoding the metadata.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let model = try? Model(data: data, source: "fuzz.tflite") else { return 0 }
    _ = model.minRuntimeVersion()
    for index in model.buffers.indices { _ = try? model.data(ofBuffer: index) }
    guard let file = try? ModelFile(model: model) else { return 0 }
    _ = try? ModelSummary(file: file).render()
    _ = try? file.metadataJSON()
    for entry in file.associatedFiles.entries { _ = try? file.associatedFiles.data(of: entry.name) }
    if let metadata = try? file.metadata() {
        _ = MetadataValidator(file: file).validate(metadata)
        _ = try? metadata.flatBuffer()
    }
    return 0
}
