import TFLiteModel

/// Metadata for a Task Library model type, as tflite-support's task writers produce it
/// (`metadata_writers/*.create_for_inference`), filled from the model: tensor names and order,
/// counts, and stats from each tensor's type.
public enum TaskPreset: String, CaseIterable, Sendable {
    /// An image in, class scores out: normalization on the input, labels (and optional
    /// calibration) on the output.
    case imageClassifier = "image-classifier"
    /// An image in; locations, classes, scores and the number of detections out (locations,
    /// classes and scores grouped as `detection_result`).
    case objectDetector = "object-detector"
    /// An image in, per-pixel class scores out (a mask over dimensions 1–2), with the classes'
    /// labels.
    case imageSegmenter = "image-segmenter"
    /// Text in through a regex tokenizer and vocabulary, class scores out.
    case nlClassifier = "nl-classifier"
    /// Text in through a BERT WordPiece or SentencePiece tokenizer (ids, mask, segment ids),
    /// class scores out.
    case bertNLClassifier = "bert-nl-classifier"
    /// Audio samples in (sample rate, channels), class scores out.
    case audioClassifier = "audio-classifier"

    /// The metadata and the files it names (labels, vocabularies, calibration), in the order
    /// tflite-support packs them.
    public func build(for model: Model, options: MetadataOptions) throws(PresetError) -> (metadata: ModelMetadata, files: [PackedFile]) {
        let io = try PresetModel(model: model, preset: self)
        var (metadata, files): (ModelMetadata, [PackedFile])
        switch self {
        case .imageClassifier: (metadata, files) = try ImageClassifierPreset.build(io, options)
        case .objectDetector: (metadata, files) = try ObjectDetectorPreset.build(io, options)
        case .imageSegmenter: (metadata, files) = try ImageSegmenterPreset.build(io, options)
        case .nlClassifier: (metadata, files) = try NLClassifierPreset.build(io, options)
        case .bertNLClassifier: (metadata, files) = try BertNLClassifierPreset.build(io, options)
        case .audioClassifier: (metadata, files) = try AudioClassifierPreset.build(io, options)
        }
        options.applyGeneral(to: &metadata)
        var unique: [PackedFile] = []
        for file in files where !unique.contains(file) { unique.append(file) }
        return (metadata, unique)
    }

    /// The flags the preset reads, for `--help`.
    public var neededFlags: String {
        switch self {
        case .imageClassifier: "--mean, --std [--labels, --score-calibration]"
        case .objectDetector: "--mean, --std [--labels, --score-calibration]"
        case .imageSegmenter: "--mean, --std [--labels]"
        case .nlClassifier: "--vocab [--delim-regex, --labels]"
        case .bertNLClassifier: "--vocab or --sentencepiece-model [--labels, --ids-name, --mask-name, --segment-name]"
        case .audioClassifier: "--sample-rate, --channels [--labels, --score-calibration]"
        }
    }
}

/// A preset cannot be applied: a flag is missing or the model does not fit the task.
public struct PresetError: Error, Equatable, CustomStringConvertible {
    /// What is missing or does not fit, e.g. which flag the preset needs.
    public let message: String
    /// Creates an error with its message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Subgraph 0's inputs and outputs, as a preset reads them.
struct PresetModel {
    let preset: TaskPreset
    let inputs: [ModelTensor]
    let outputs: [ModelTensor]
    /// Output tensor indices in the subgraph (their order decides detector output roles).
    let outputIndices: [Int32]

    init(model: Model, preset: TaskPreset) throws(PresetError) {
        guard let subgraph = model.subgraphs.first else { throw PresetError("the model has no subgraphs") }
        func tensors(_ indices: [Int32]) throws(PresetError) -> [ModelTensor] {
            var result: [ModelTensor] = []
            for index in indices {
                guard index >= 0, Int(index) < subgraph.tensors.count else {
                    throw PresetError("subgraph 0 names tensor \(index), which does not exist")
                }
                result.append(subgraph.tensors[Int(index)])
            }
            return result
        }
        self.preset = preset
        inputs = try tensors(subgraph.inputs)
        outputs = try tensors(subgraph.outputs)
        outputIndices = subgraph.outputs
    }

    /// Checks the number of inputs and outputs the task needs.
    func expect(inputs inputCount: Int, outputs outputCount: Int) throws(PresetError) {
        guard inputs.count == inputCount, outputs.count == outputCount else {
            throw PresetError("--preset \(preset.rawValue) needs a model with \(inputCount) input(s) and \(outputCount) output(s); "
                + "this one has \(inputs.count) and \(outputs.count)")
        }
    }

    /// Normalization for image presets: `--mean` and `--std`, same count.
    func normalization(_ options: MetadataOptions) throws(PresetError) -> (mean: [Double], std: [Double]) {
        guard let mean = options.mean, let std = options.std, !mean.isEmpty, !std.isEmpty else {
            throw PresetError("--preset \(preset.rawValue) needs --mean and --std (input normalization, e.g. --mean 127.5 --std 127.5)")
        }
        guard mean.count == std.count else {
            throw PresetError("--mean has \(mean.count) values but --std has \(std.count); give the same number")
        }
        return (mean, std)
    }

    /// Refuses flags the preset does not use.
    func refuse(_ flags: [(String, Bool)]) throws(PresetError) {
        for (flag, given) in flags where given {
            throw PresetError("\(flag) is not used by --preset \(preset.rawValue)")
        }
    }

    /// Label files for `options.labels`.
    func labelFiles(_ options: MetadataOptions, type: AssociatedFileType = .tensorAxisLabels) -> [AssociatedFile] {
        options.labels.map { WriterBlocks.labelFile($0, type: type) }
    }

    /// Files to pack for the labels and the calibration file.
    func packed(_ options: MetadataOptions) -> [PackedFile] {
        var files = options.labels.map { PackedFile(path: $0.path, role: "--labels") }
        if let calibration = options.scoreCalibration { files.append(PackedFile(path: calibration.path, role: "--score-calibration")) }
        return files
    }
}
