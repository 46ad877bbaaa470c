#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A model file with everything `tflmeta` reads from it: the verified model, its metadata (if
/// any) and its associated files (read with `AssociatedFiles(crossChecking:)`).
public struct ModelFile: Sendable {
    /// The file path (or `<memory>`).
    public var path: String { model.storage.source }
    /// The verified model (mapped, not copied).
    public let model: Model
    package let associatedFiles: AssociatedFiles

    /// Maps and verifies the model at `path`, and checks its associated files.
    public init(contentsOf path: String) throws(ModelError) {
        try self.init(model: Model(contentsOf: path))
    }

    /// Reads a model already loaded.
    public init(model: Model) throws(ModelError) {
        self.model = model
        self.associatedFiles = try AssociatedFiles(crossChecking: model.storage)
    }

    /// Whether the model has a `TFLITE_METADATA` entry.
    public var hasMetadata: Bool { model.metadataEntry(named: Model.metadataEntryName) != nil }

    /// The metadata JSON exactly as tflite-support prints it, or nil without metadata.
    public func metadataJSON() throws(ModelError) -> String? {
        guard let bytes = try model.metadataBuffer() else { return nil }
        return try ModelMetadata.json(fromFlatBuffer: bytes, source: path)
    }

    /// The decoded metadata, or nil without metadata.
    public func metadata() throws(ModelError) -> ModelMetadata? {
        guard let bytes = try model.metadataBuffer() else { return nil }
        return try ModelMetadata(flatBuffer: bytes, source: path)
    }
}
