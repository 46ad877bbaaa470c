#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// Where `populate` takes metadata and files from: a SPEC (JSON in `show --json`'s form), a task
/// preset, or the model's own metadata; flags on top; files given with `--file` or by the flags.
///
/// Files the final metadata names that are already packed in the input and not given again are
/// kept (so `show --json` → edit → `populate --metadata` keeps the labels); other packed files are
/// dropped.
public struct MetadataRecipe: Sendable {
    /// Metadata to start from (`--metadata`, JSON in `tflmeta show --json`'s form); cannot be
    /// combined with a preset.
    public var spec: ModelMetadata?
    /// The task whose metadata to build from the model and ``options`` (`--preset`).
    public var preset: TaskPreset?
    /// Fields given one by one: the preset builds from them; without a preset they edit the
    /// spec or the model's own metadata.
    public var options: MetadataOptions
    /// Files to pack, by path (stored by basename).
    public var files: [String]

    /// Creates a recipe.
    ///
    /// - Parameters:
    ///   - spec: Metadata to start from.
    ///   - preset: A task to build metadata for.
    ///   - options: Fields applied on top.
    ///   - files: Files to pack, by path.
    public init(spec: ModelMetadata? = nil, preset: TaskPreset? = nil, options: MetadataOptions = MetadataOptions(),
                files: [String] = []) {
        self.spec = spec
        self.preset = preset
        self.options = options
        self.files = files
    }

    /// The metadata and files to write into `input`, and notes about what was kept.
    public func resolve(for input: ModelFile) throws(PopulateError) -> (metadata: ModelMetadata, files: [PackedFile], diagnostics: [Diagnostic]) {
        guard !input.model.subgraphs.isEmpty else {
            throw .file(ModelError(file: input.path, field: "subgraphs", reason: "the model has no subgraphs"))
        }
        var metadata: ModelMetadata
        var flagFiles: [PackedFile]
        do {
            if let preset {
                guard spec == nil else { throw PresetError("--preset and --metadata cannot be combined; edit the SPEC instead") }
                (metadata, flagFiles) = try preset.build(for: input.model, options: options)
            } else {
                if let spec {
                    metadata = spec
                } else {
                    do {
                        metadata = try input.metadata() ?? MetadataEdits.skeleton(for: input.model)
                    } catch {
                        throw PopulateError.file(error)
                    }
                }
                flagFiles = try MetadataEdits.apply(options, to: &metadata, model: input.model)
            }
        } catch let error as PresetError {
            throw .usage(error.message)
        } catch let error as PopulateError {
            throw error
        } catch {
            throw .usage("\(error)")
        }

        var packed: [PackedFile] = []
        for file in files.map({ PackedFile(path: $0, role: "--file") }) + flagFiles where !packed.contains(file) {
            if case .path(let path) = file.source {
                do {
                    let (fd, _) = try FileIO.openForReading(path, role: file.role)
                    close(fd)
                } catch {
                    throw .file(error)
                }
            }
            packed.append(file)
        }
        var diagnostics: [Diagnostic] = []
        let given = Set(packed.map(\.name))
        let named = Set(metadata.namedFiles().compactMap { $0.file.name.map { $0.lastPathComponent } })
        for entry in input.associatedFiles.entries where named.contains(entry.name) && !given.contains(entry.name) {
            packed.append(PackedFile(name: entry.name, source: .packed(entry.range, crc32: entry.crc32)))
            diagnostics.append(Diagnostic(.note, path: "associated files[\(entry.name)]", "kept from \(input.path)", rule: "file-kept"))
        }
        return (metadata, packed, diagnostics)
    }
}
