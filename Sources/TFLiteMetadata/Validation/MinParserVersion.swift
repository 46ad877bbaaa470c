/// The oldest metadata parser that understands every feature a metadata value uses, computed as
/// tflite-support's `GetMinimumMetadataParserVersion` does (`metadata_version.cc`).
///
/// The walk matches it exactly: associated files of the model, subgraphs and tensors count
/// (VOCABULARY type, SCANN index type, `version` field), tokenizer vocabularies inside process
/// units do not; a present `input_process_units`, tensor groups or `custom_metadata` vector
/// counts even when empty.
public struct MetadataVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The major version.
    public var major: Int
    /// The minor version.
    public var minor: Int
    /// The patch version.
    public var patch: Int

    /// Creates a version from its three numbers.
    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `1.2` or `1.2.3`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), let value = Int(part), value >= 0 else { return nil }
            numbers.append(value)
        }
        while numbers.count < 3 { numbers.append(0) }
        self.init(numbers[0], numbers[1], numbers[2])
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: MetadataVersion, rhs: MetadataVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}

/// A schema feature added after metadata 1.0.0, and where a metadata value uses it.
public struct MetadataFeature: Hashable, Sendable {
    /// The feature, e.g. `RegexTokenizerOptions` or `AssociatedFile.version`.
    public var name: String
    /// The first parser version that reads it.
    public var version: MetadataVersion
    /// The field that uses it, e.g. `subgraph_metadata[0].output_tensor_groups`.
    public var path: String
}

extension ModelMetadata {
    /// Every use of a feature newer than 1.0.0, in walk order.
    public func featuresBeyondBase() -> [MetadataFeature] {
        var found: [MetadataFeature] = []
        func add(_ name: String, _ version: MetadataVersion, _ path: String) {
            found.append(MetadataFeature(name: name, version: version, path: path))
        }
        func files(_ list: [AssociatedFile]?, _ path: String) {
            for (index, file) in (list ?? []).enumerated() {
                let at = "\(path)[\(index)]"
                if file.type == .vocabulary { add("VOCABULARY file type", MetadataVersion(1, 0, 1), "\(at).type") }
                if file.type == .scannIndexFile { add("SCANN_INDEX_FILE file type", MetadataVersion(1, 4, 0), "\(at).type") }
                if file.version != nil { add("AssociatedFile.version", MetadataVersion(1, 4, 1), "\(at).version") }
            }
        }
        func units(_ list: [ProcessUnit]?, _ path: String) {
            for (index, unit) in (list ?? []).enumerated() {
                let at = "\(path)[\(index)].options_type"
                switch unit.options {
                case .bertTokenizer?: add("BertTokenizerOptions", MetadataVersion(1, 1, 0), at)
                case .sentencePieceTokenizer?: add("SentencePieceTokenizerOptions", MetadataVersion(1, 1, 0), at)
                case .regexTokenizer?: add("RegexTokenizerOptions", MetadataVersion(1, 2, 1), at)
                default: break
                }
            }
        }
        func tensors(_ list: [TensorMetadata]?, _ path: String) {
            for (index, tensor) in (list ?? []).enumerated() {
                let at = "\(path)[\(index)]"
                files(tensor.associatedFiles, "\(at).associated_files")
                units(tensor.processUnits, "\(at).process_units")
                if case .audio? = tensor.content?.contentProperties {
                    add("AudioProperties", MetadataVersion(1, 3, 0), "\(at).content.content_properties_type")
                }
            }
        }
        for (index, subgraph) in (subgraphMetadata ?? []).enumerated() {
            let at = "subgraph_metadata[\(index)]"
            tensors(subgraph.inputTensorMetadata, "\(at).input_tensor_metadata")
            tensors(subgraph.outputTensorMetadata, "\(at).output_tensor_metadata")
            files(subgraph.associatedFiles, "\(at).associated_files")
            if subgraph.inputProcessUnits != nil {
                add("SubGraphMetadata.input_process_units", MetadataVersion(1, 1, 0), "\(at).input_process_units")
                units(subgraph.inputProcessUnits, "\(at).input_process_units")
            }
            if subgraph.outputProcessUnits != nil {
                add("SubGraphMetadata.output_process_units", MetadataVersion(1, 1, 0), "\(at).output_process_units")
                units(subgraph.outputProcessUnits, "\(at).output_process_units")
            }
            if subgraph.inputTensorGroups != nil {
                add("SubGraphMetadata.input_tensor_groups", MetadataVersion(1, 2, 0), "\(at).input_tensor_groups")
            }
            if subgraph.outputTensorGroups != nil {
                add("SubGraphMetadata.output_tensor_groups", MetadataVersion(1, 2, 0), "\(at).output_tensor_groups")
            }
            if subgraph.customMetadata != nil {
                add("CustomMetadata", MetadataVersion(1, 5, 0), "\(at).custom_metadata")
            }
        }
        files(associatedFiles, "associated_files")
        return found
    }

    /// The minimum parser version the features used need (at least 1.0.0).
    public func requiredParserVersion() -> MetadataVersion {
        featuresBeyondBase().map(\.version).max() ?? MetadataVersion(1, 0, 0)
    }

    /// The feature that sets ``requiredParserVersion()``, when beyond 1.0.0.
    public func newestFeature() -> MetadataFeature? {
        var newest: MetadataFeature?
        for feature in featuresBeyondBase() where newest == nil || feature.version > newest!.version {
            newest = feature
        }
        return newest
    }
}
