#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A model's associated files (`TFLiteModel.AssociatedFiles`, the zip of stored entries packed
/// after the model) as generated wrappers read them: text and labels by name, errors as
/// `ModelWrapperError`. The archive is read in place by the same reader `tflmeta` uses.
@_spi(GeneratedCode) public struct AssociatedFileReader: Sendable {
    /// The archive.
    package let archive: AssociatedFiles

    /// File names in the archive, sorted.
    @_spi(GeneratedCode) public var names: [String] { archive.names.sorted() }

    /// Reads the archive packed in `storage` (none: no files).
    package init(storage: ByteStorage) throws(ModelWrapperError) {
        do {
            archive = try AssociatedFiles(storage: storage)
        } catch {
            throw .invalidPackedFile(name: storage.source, reason: error.field.map { "\($0): \(error.reason)" } ?? error.reason)
        }
    }

    /// The bytes of `name`, or nil when it is not packed.
    @_spi(GeneratedCode) public func data(of name: String) -> Data? {
        archive.contents(of: name).map { Data($0) }
    }

    /// The text of `name` (UTF-8), refused over `TextFileLimit.bytes` (16 MB): labels,
    /// vocabularies and calibration files are read whole, so a hostile model's gigabyte "label
    /// file" is an error, not gigabytes of memory (the limit `validate` and `tflcodegen` apply).
    @_spi(GeneratedCode) public func text(of name: String) throws(ModelWrapperError) -> String {
        let text: String?
        do {
            text = try archive.text(of: name)
        } catch {
            throw .invalidPackedFile(name: name, reason: error.reason)
        }
        guard let text else { throw .missingPackedFile(name: name, model: archive.source) }
        return text
    }

    /// The lines of a label file: one label a line, trailing empty lines dropped.
    @_spi(GeneratedCode) public func labels(in name: String) throws(ModelWrapperError) -> [String] {
        LabelFile.parse(try text(of: name))
    }
}

/// The runtime's reader of associated files was called `PackedFiles`.
@available(*, deprecated, renamed: "AssociatedFileReader")
@_spi(GeneratedCode) public typealias PackedFiles = AssociatedFileReader
