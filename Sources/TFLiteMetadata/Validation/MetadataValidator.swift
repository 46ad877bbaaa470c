#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Checks metadata against the model it describes and the files packed with it.
///
/// Each finding names the metadata field at fault. Errors that `--force` cannot downgrade are the
/// ones that would make the output unreadable by tflite-support (tensor metadata counts, files
/// named but not packed, duplicate file names, zero standard deviation).
public struct MetadataValidator {
    /// The files packed (or to be packed) with the model, in archive order.
    public var packedNames: [String]
    /// The size of a packed file in bytes, when known: text files over `TextFileLimit.bytes`
    /// are reported and never read.
    public var sizes: (String) -> Int?
    /// The contents of a packed file, for checks that read label and calibration files (only
    /// asked for files within `TextFileLimit.bytes`).
    public var contents: (String) -> [UInt8]?
    /// The model the metadata describes.
    public let model: Model

    /// Checks metadata against `model` and files given by name (for `populate`, before they are
    /// packed).
    ///
    /// - Parameters:
    ///   - model: The model the metadata describes.
    ///   - packedNames: The files packed with it, in archive order.
    ///   - sizes: The size of a file in bytes, when known.
    ///   - contents: The bytes of a file, for checks that read labels and calibration.
    public init(model: Model, packedNames: [String], sizes: @escaping (String) -> Int? = { _ in nil },
                contents: @escaping (String) -> [UInt8]?) {
        self.model = model
        self.packedNames = packedNames
        self.sizes = sizes
        self.contents = contents
    }

    /// Checks the metadata of a model file against the file itself.
    public init(file: ModelFile) {
        let files = file.associatedFiles
        self.init(model: file.model, packedNames: files.names, sizes: { files.entry(named: $0)?.size }) { name in
            try? files.textBytes(of: name)
        }
    }

    /// The types of the files read whole as text (by the runtime, the generator and these checks).
    static let textFileTypes: Set<AssociatedFileType> = [.tensorAxisLabels, .tensorValueLabels, .tensorAxisScoreCalibration, .vocabulary]

    /// The bytes of text file `name`, nil when it is not packed or over the size limit.
    private func text(_ name: String) -> [UInt8]? {
        if let size = sizes(name), size > TextFileLimit.bytes { return nil }
        guard let bytes = contents(name), bytes.count <= TextFileLimit.bytes else { return nil }
        return bytes
    }

    /// All findings, in field order.
    public func validate(_ metadata: ModelMetadata) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        checkSubgraphs(metadata, &findings)
        checkFiles(metadata, &findings)
        checkParserVersion(metadata, &findings)
        return findings
    }

    // MARK: Subgraphs and tensors

    private func checkSubgraphs(_ metadata: ModelMetadata, _ findings: inout [Diagnostic]) {
        let subgraphs = metadata.subgraphMetadata ?? []
        if subgraphs.isEmpty {
            findings.append(Diagnostic(.warning, path: "subgraph_metadata",
                                       "is missing; tflite-support's populator and the Task Library expect one entry (for subgraph 0)",
                                       rule: "subgraph-count"))
        } else if subgraphs.count > 1 {
            findings.append(Diagnostic(.error, path: "subgraph_metadata",
                                       "has \(subgraphs.count) entries; tflite-support reads exactly one (for subgraph 0)",
                                       rule: "subgraph-count"))
        }
        for (index, subgraphMetadata) in subgraphs.enumerated() {
            let path = "subgraph_metadata[\(index)]"
            guard index < model.subgraphs.count else {
                findings.append(Diagnostic(.error, path: path, "the model has only \(model.subgraphs.count) subgraph(s)",
                                           rule: "subgraph-count", forceable: false))
                continue
            }
            let subgraph = model.subgraphs[index]
            for direction in Direction.allCases {
                let tensorMetadata = direction.metadata(subgraphMetadata) ?? []
                let indices = direction.tensors(subgraph)
                let listPath = "\(path).\(direction.field)"
                if tensorMetadata.count != indices.count {
                    findings.append(Diagnostic(.error, path: listPath,
                                               "has \(tensorMetadata.count) entries but the model's subgraph \(index) has \(indices.count) \(direction.rawValue)s",
                                               rule: "tensor-count", forceable: false))
                }
                for (position, entry) in tensorMetadata.enumerated() {
                    let tensor = position < indices.count ? tensor(subgraph, indices[position]) : nil
                    checkTensor(entry, tensor, direction: direction, path: "\(listPath)[\(position)]", &findings)
                }
                let names = Set(tensorMetadata.compactMap(\.name))
                for (groupIndex, group) in (direction.groups(subgraphMetadata) ?? []).enumerated() {
                    for (nameIndex, name) in (group.tensorNames ?? []).enumerated() where !names.contains(name) {
                        findings.append(Diagnostic(.error, path: "\(path).\(direction.rawValue)_tensor_groups[\(groupIndex)].tensor_names[\(nameIndex)]",
                                                   "no \(direction.rawValue) tensor metadata is named \"\(name)\"",
                                                   rule: "tensor-group"))
                    }
                }
            }
        }
    }

    private func checkTensor(_ entry: TensorMetadata, _ tensor: ModelTensor?, direction: Direction, path: String,
                             _ findings: inout [Diagnostic]) {
        let shape = tensor?.shape ?? []
        let signature = tensor?.shapeSignature ?? shape
        let channels: Int? = shape.last.flatMap { $0 > 0 && (signature.last ?? $0) > 0 ? Int($0) : nil }
        let described = tensor.map { "\(direction.rawValue) tensor \"\(DisplayText.quoted($0.name))\" (\($0.type) [\($0.shape.map(String.init).joined(separator: ", "))])" }
            ?? "the tensor"

        // Content.
        if let content = entry.content {
            if case .image(let image)? = content.contentProperties, let tensor {
                if tensor.shape.count != 4 {
                    findings.append(Diagnostic(.error, path: "\(path).content",
                                               "image content on \(described), which is not 4-D (batch, height, width, channels)",
                                               rule: "image-rank"))
                } else if direction == .input, let channels {
                    if image.colorSpace == .rgb, channels != 3 {
                        findings.append(Diagnostic(.warning, path: "\(path).content.content_properties.color_space",
                                                   "RGB on \(described), which has \(channels) channels", rule: "color-space"))
                    } else if image.colorSpace == .grayscale, channels != 1 {
                        findings.append(Diagnostic(.warning, path: "\(path).content.content_properties.color_space",
                                                   "GRAYSCALE on \(described), which has \(channels) channels", rule: "color-space"))
                    }
                }
            }
            if case .boundingBox(let box)? = content.contentProperties {
                let index = box.index ?? []
                if index.count != 4 || Set(index) != [0, 1, 2, 3] {
                    findings.append(Diagnostic(.error, path: "\(path).content.content_properties.index",
                                               "must list the positions of the 4 box values (a permutation of 0, 1, 2, 3), got \(index)",
                                               rule: "bounding-box"))
                }
            }
            if let range = content.range {
                let low = range.min ?? 0
                let high = range.max ?? 0
                if low > high || low < 0 {
                    findings.append(Diagnostic(.error, path: "\(path).content.range",
                                               "dimension range [\(low), \(high)] is empty or negative", rule: "content-range"))
                }
            }
        }

        // Normalization.
        let units = entry.processUnits ?? []
        for (index, unit) in units.enumerated() {
            guard case .normalization(let options)? = unit.options else { continue }
            let at = "\(path).process_units[\(index)].options"
            let mean = options.mean ?? []
            let std = options.std ?? []
            if mean.isEmpty || std.isEmpty {
                findings.append(Diagnostic(.error, path: at, "normalization needs both mean and std", rule: "normalization", forceable: false))
                continue
            }
            if mean.count != std.count {
                findings.append(Diagnostic(.error, path: at, "mean has \(mean.count) values but std has \(std.count)", rule: "normalization"))
            }
            for (field, values) in [("mean", mean), ("std", std)] where values.count != 1 && values.count != channels {
                findings.append(Diagnostic(.error, path: "\(at).\(field)",
                                           "has \(values.count) values; expected 1 or one per channel (\(channels.map(String.init) ?? "unknown") for \(described))",
                                           rule: "normalization"))
            }
            if let zero = std.firstIndex(of: 0) {
                findings.append(Diagnostic(.error, path: "\(at).std[\(zero)]", "is 0 (normalization divides by it)",
                                           rule: "normalization", forceable: false))
            }
        }

        // Stats.
        if let stats = entry.stats, let tensor {
            checkStats(stats, tensor, channels: channels, described: described, path: "\(path).stats", &findings)
        }

        // Files that must agree with the shape.
        let files = entry.associatedFiles ?? []
        let hasCalibrationFile = files.contains { $0.type == .tensorAxisScoreCalibration }
        for (index, unit) in units.enumerated() {
            if case .scoreCalibration? = unit.options, !hasCalibrationFile {
                findings.append(Diagnostic(.error, path: "\(path).process_units[\(index)]",
                                           "score calibration needs a TENSOR_AXIS_SCORE_CALIBRATION file on the same tensor",
                                           rule: "score-calibration"))
            }
        }
        for (index, file) in files.enumerated() {
            guard let name = file.name, let bytes = text(name) else { continue }
            let at = "\(path).associated_files[\(index)]"
            let axis = shape.count - 1
            let shown = DisplayText.quoted(name)
            switch file.type {
            case .tensorAxisLabels?, .tensorValueLabels?:
                let count = LabelLines.parse(bytes).count
                if count == 0 {
                    findings.append(Diagnostic(.error, path: at, "\(shown) has no labels (it is empty or blank)",
                                               rule: "label-count", forceable: false))
                } else if file.type == .tensorAxisLabels, let channels, count != channels {
                    findings.append(Diagnostic(.error, path: at,
                                               "\(shown) has \(count) labels but \(described) has \(channels) on axis \(axis)",
                                               rule: "label-count", forceable: false))
                }
            case .tensorAxisScoreCalibration?:
                let calibration = ScoreCalibrationFile(bytes: bytes)
                for problem in calibration.check(classes: channels) {
                    findings.append(Diagnostic(.error, path: at, "\(shown): \(problem)", rule: "score-calibration", forceable: false))
                }
                if let channels, calibration.sigmoids.count <= channels, calibration.lineCount != channels, !calibration.sigmoids.isEmpty {
                    findings.append(Diagnostic(.warning, path: at,
                                               "\(shown) has \(calibration.lineCount) lines but \(described) has \(channels) classes on axis \(axis); classes without a line get the default score, but tflite-support's Task Library expects one line per class",
                                               rule: "score-calibration"))
                }
            default:
                break
            }
        }
    }

    private func checkStats(_ stats: Stats, _ tensor: ModelTensor, channels: Int?, described: String, path: String,
                            _ findings: inout [Diagnostic]) {
        let minimum = stats.min ?? []
        let maximum = stats.max ?? []
        if !minimum.isEmpty, !maximum.isEmpty, minimum.count != maximum.count {
            findings.append(Diagnostic(.error, path: path, "min has \(minimum.count) values but max has \(maximum.count)", rule: "stats"))
        }
        for (field, values) in [("min", minimum), ("max", maximum)] where values.count > 1 && values.count != channels {
            findings.append(Diagnostic(.warning, path: "\(path).\(field)",
                                       "has \(values.count) values; expected 1 or one per channel", rule: "stats"))
        }
        for index in 0..<min(minimum.count, maximum.count) where minimum[index] > maximum[index] {
            findings.append(Diagnostic(.error, path: "\(path).min[\(index)]",
                                       "\(minimum[index]) is greater than max \(maximum[index])", rule: "stats"))
        }
        guard let range = Self.integerRange(tensor.type) else { return }
        let quantized = tensor.quantization?.isAffine == true
        for (field, values) in [("min", minimum), ("max", maximum)] {
            for (index, value) in values.enumerated() {
                let double = Double(value)
                guard double.rounded() != double || double < range.lowerBound || double > range.upperBound else { continue }
                var message = "\(value) is not a \(tensor.type) value (\(described) holds integers in [\(Int(range.lowerBound)), \(Int(range.upperBound))])"
                if quantized { message += "; stats of a quantized tensor are its raw values, not real values" }
                findings.append(Diagnostic(.error, path: "\(path).\(field)[\(index)]", message, rule: "stats"))
            }
        }
    }

    /// The values an integer tensor type holds, nil for floating-point and other types.
    static func integerRange(_ type: TensorType) -> ClosedRange<Double>? {
        switch type {
        case .uint8: 0...255
        case .int8: -128...127
        case .int16: -32768...32767
        case .uint16: 0...65535
        case .int32: Double(Int32.min)...Double(Int32.max)
        case .uint32: 0...Double(UInt32.max)
        case .bool: 0...1
        default: nil
        }
    }

    private func tensor(_ subgraph: Subgraph, _ index: Int32) -> ModelTensor? {
        index >= 0 && Int(index) < subgraph.tensors.count ? subgraph.tensors[Int(index)] : nil
    }

    // MARK: Files

    private func checkFiles(_ metadata: ModelMetadata, _ findings: inout [Diagnostic]) {
        var seen = Set<String>()
        for name in packedNames where !seen.insert(name).inserted {
            let shown = DisplayText.quoted(name)
            findings.append(Diagnostic(.error, path: "associated files[\(shown)]", "two packed files are named \(shown)",
                                       rule: "duplicate-file", forceable: false))
        }
        let named = metadata.namedFiles()
        var namedSet = Set<String>()
        var sizeChecked = Set<String>()
        for (path, file) in named {
            guard let name = file.name, !name.isEmpty else {
                findings.append(Diagnostic(.error, path: "\(path).name", "an associated file needs a name", rule: "file-name", forceable: false))
                continue
            }
            namedSet.insert(name)
            let shown = DisplayText.quoted(name)
            if !AssociatedFiles.isSafeName(name) {
                findings.append(Diagnostic(.error, path: "\(path).name", "\"\(shown)\" is not a plain file name (files are stored by basename)",
                                           rule: "file-name", forceable: false))
            } else if !seen.contains(name) {
                findings.append(Diagnostic(.error, path: path, "\(shown) is named in the metadata but not packed",
                                           rule: "file-missing", forceable: false))
            } else if let type = file.type, Self.textFileTypes.contains(type), let size = sizes(name), size > TextFileLimit.bytes,
                      sizeChecked.insert(name).inserted {
                findings.append(Diagnostic(.error, path: path, "\(shown) \(AssociatedFiles.overLimit(size: size))",
                                           rule: "text-file-size", forceable: false))
            }
        }
        var reported = Set<String>()
        for name in packedNames where !namedSet.contains(name) && reported.insert(name).inserted {
            let shown = DisplayText.quoted(name)
            findings.append(Diagnostic(.error, path: "associated files[\(shown)]", "\(shown) is packed but the metadata never names it",
                                       rule: "file-unused"))
        }
    }

    // MARK: Parser version

    private func checkParserVersion(_ metadata: ModelMetadata, _ findings: inout [Diagnostic]) {
        let required = metadata.requiredParserVersion()
        guard let recordedText = metadata.minParserVersion else {
            findings.append(Diagnostic(.warning, path: "min_parser_version", "is missing; \(required) is needed", rule: "min-parser-version"))
            return
        }
        guard let recorded = MetadataVersion(recordedText) else {
            findings.append(Diagnostic(.error, path: "min_parser_version", "\"\(recordedText)\" is not a version", rule: "min-parser-version"))
            return
        }
        if recorded < required {
            let feature = metadata.newestFeature()
            let because = feature.map { " by \($0.name) at \($0.path)" } ?? ""
            findings.append(Diagnostic(.error, path: "min_parser_version",
                                       "\(recordedText) is lower than \(required), needed\(because)", rule: "min-parser-version"))
        } else if recorded > required {
            findings.append(Diagnostic(.note, path: "min_parser_version",
                                       "\(recordedText) is higher than the \(required) the features need", rule: "min-parser-version"))
        }
    }
}

/// Inputs or outputs of a subgraph.
enum Direction: String, CaseIterable {
    case input
    case output

    var field: String { "\(rawValue)_tensor_metadata" }

    func metadata(_ subgraph: SubGraphMetadata) -> [TensorMetadata]? {
        self == .input ? subgraph.inputTensorMetadata : subgraph.outputTensorMetadata
    }

    func groups(_ subgraph: SubGraphMetadata) -> [TensorGroup]? {
        self == .input ? subgraph.inputTensorGroups : subgraph.outputTensorGroups
    }

    func tensors(_ subgraph: Subgraph) -> [Int32] {
        self == .input ? subgraph.inputs : subgraph.outputs
    }
}
