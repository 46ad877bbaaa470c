import Foundation
import TFLiteMetadata

/// Everything `tflmeta show`, `show --json`, `files`, `extract` and `validate` do with a model,
/// in-process, for the mutation and fuzz-regression tests (the FuzzModel target does the same).
public enum ReadAsTheCommandsDo {
    /// Reads `data` as the commands would; returns whether it was accepted as a model.
    @discardableResult
    public static func run(_ data: Data, source: String = "mutant.tflite") -> Bool {
        guard let model = try? Model(data: data, source: source) else { return false }
        _ = model.minRuntimeVersion()
        for index in model.buffers.indices { _ = try? model.data(ofBuffer: index) }
        guard let file = try? ModelFile(model: model) else { return true }
        _ = try? ModelSummary(file: file).render()
        _ = try? file.metadataJSON()
        for entry in file.associatedFiles.entries { _ = try? file.associatedFiles.data(of: entry.name) }
        if let metadata = try? file.metadata() {
            _ = MetadataValidator(file: file).validate(metadata)
            _ = try? metadata.flatBuffer()
        }
        return true
    }
}
