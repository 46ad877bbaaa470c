import TFLiteModel

/// Applies `populate` flags on top of metadata from a SPEC or from the model itself.
///
/// Model fields replace the model's; input flags (`--mean`, `--std`, `--color-space`,
/// `--input-name`, `--input-description`, `--sample-rate`, `--channels`) edit the main input: the
/// first with image content, else the first with audio content, else input 0; output flags
/// (`--labels`, `--score-calibration`, `--output-name`, `--output-description`) edit the
/// classification output: the first with label files, else the first with feature content, else
/// output 0. Stats of an edited normalization are recomputed from the tensor's type.
enum MetadataEdits {
    /// Metadata with one entry per input and output of each subgraph, named after the tensors
    /// (what tflite-support's writer fills in when no tensor metadata is given).
    static func skeleton(for model: Model) -> ModelMetadata {
        guard let subgraph = model.subgraphs.first else { return ModelMetadata() }
        func entries(_ indices: [Int32]) -> [TensorMetadata] {
            indices.map { index in
                TensorMetadata(name: index >= 0 && Int(index) < subgraph.tensors.count ? subgraph.tensors[Int(index)].name : nil)
            }
        }
        return ModelMetadata(subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: entries(subgraph.inputs), outputTensorMetadata: entries(subgraph.outputs)),
        ])
    }

    /// Applies `options` to `metadata`; returns the files the flags add.
    static func apply(_ options: MetadataOptions, to metadata: inout ModelMetadata, model: Model) throws(PresetError) -> [PackedFile] {
        for (flag, given) in [("--vocab", options.vocab != nil), ("--delim-regex", options.delimiterPattern != nil),
                              ("--sentencepiece-model", options.sentencePieceModel != nil), ("--ids-name", options.idsName != nil),
                              ("--mask-name", options.maskName != nil), ("--segment-name", options.segmentName != nil)] where given {
            throw PresetError("\(flag) needs --preset nl-classifier or bert-nl-classifier")
        }
        options.applyGeneral(to: &metadata)
        let editsInput = options.inputName != nil || options.inputDescription != nil || options.mean != nil || options.std != nil
            || options.colorSpace != nil || options.sampleRate != nil || options.channels != nil
        let editsOutput = options.outputName != nil || options.outputDescription != nil || !options.labels.isEmpty
            || options.scoreCalibration != nil
        guard editsInput || editsOutput else { return [] }
        guard let subgraph = model.subgraphs.first else { throw PresetError("the model has no subgraphs") }
        if metadata.subgraphMetadata?.isEmpty ?? true {
            metadata.subgraphMetadata = skeleton(for: model).subgraphMetadata
        }
        var subgraphMetadata = metadata.subgraphMetadata![0]
        var files: [PackedFile] = []

        if editsInput {
            var inputs = subgraphMetadata.inputTensorMetadata ?? []
            guard !inputs.isEmpty else { throw PresetError("the metadata describes no input to apply input flags to") }
            let position = inputs.firstIndex { if case .image? = $0.content?.contentProperties { true } else { false } }
                ?? inputs.firstIndex { if case .audio? = $0.content?.contentProperties { true } else { false } }
                ?? 0
            let tensor = position < subgraph.inputs.count ? tensorAt(subgraph, subgraph.inputs[position]) : nil
            try editInput(&inputs[position], tensor: tensor, options)
            subgraphMetadata.inputTensorMetadata = inputs
        }
        if editsOutput {
            var outputs = subgraphMetadata.outputTensorMetadata ?? []
            guard !outputs.isEmpty else { throw PresetError("the metadata describes no output to apply output flags to") }
            let position = outputs.firstIndex { ($0.associatedFiles ?? []).contains { $0.type == .tensorAxisLabels || $0.type == .tensorValueLabels } }
                ?? outputs.firstIndex { if case .feature? = $0.content?.contentProperties { true } else { false } }
                ?? 0
            editOutput(&outputs[position], options)
            subgraphMetadata.outputTensorMetadata = outputs
            files += options.labels.map { PackedFile(path: $0.path, role: "--labels") }
            if let calibration = options.scoreCalibration { files.append(PackedFile(path: calibration.path, role: "--score-calibration")) }
        }
        metadata.subgraphMetadata![0] = subgraphMetadata
        return files
    }

    private static func tensorAt(_ subgraph: Subgraph, _ index: Int32) -> ModelTensor? {
        index >= 0 && Int(index) < subgraph.tensors.count ? subgraph.tensors[Int(index)] : nil
    }

    private static func editInput(_ entry: inout TensorMetadata, tensor: ModelTensor?, _ options: MetadataOptions) throws(PresetError) {
        if let name = options.inputName { entry.name = name }
        if let description = options.inputDescription { entry.description = description }
        if options.mean != nil || options.std != nil {
            guard let mean = options.mean, let std = options.std, !mean.isEmpty, !std.isEmpty else {
                throw PresetError("--mean and --std go together")
            }
            var units = entry.processUnits ?? []
            let unit = WriterBlocks.normalization(mean: mean, std: std)
            if let index = units.firstIndex(where: { if case .normalization? = $0.options { true } else { false } }) {
                units[index] = unit
            } else {
                units.append(unit)
            }
            entry.processUnits = units
            if let tensor, let stats = WriterBlocks.imageStats(type: tensor.type, mean: mean, std: std) {
                entry.stats = Stats(max: stats.max, min: stats.min)
            }
            if entry.content == nil, tensor?.shape.count == 4 {
                entry.content = Content(contentProperties: .image(ImageProperties()))
            }
        }
        if let colorSpace = options.colorSpace {
            var image = ImageProperties()
            if case .image(let existing)? = entry.content?.contentProperties { image = existing }
            image.colorSpace = colorSpace
            var content = entry.content ?? Content()
            content.contentProperties = .image(image)
            entry.content = content
        }
        if options.sampleRate != nil || options.channels != nil {
            var audio = AudioProperties()
            if case .audio(let existing)? = entry.content?.contentProperties { audio = existing }
            if let sampleRate = options.sampleRate { audio.sampleRate = sampleRate }
            if let channels = options.channels { audio.channels = channels }
            var content = entry.content ?? Content()
            content.contentProperties = .audio(audio)
            entry.content = content
        }
    }

    private static func editOutput(_ entry: inout TensorMetadata, _ options: MetadataOptions) {
        if let name = options.outputName { entry.name = name }
        if let description = options.outputDescription { entry.description = description }
        var files = entry.associatedFiles ?? []
        if !options.labels.isEmpty {
            let type: AssociatedFileType = files.contains { $0.type == .tensorValueLabels } ? .tensorValueLabels : .tensorAxisLabels
            let position = files.firstIndex { $0.type == type } ?? files.count
            files.removeAll { $0.type == type }
            files.insert(contentsOf: options.labels.map { WriterBlocks.labelFile($0, type: type) }, at: min(position, files.count))
            if entry.content == nil { entry.content = Content(contentProperties: .feature(FeatureProperties())) }
        }
        if let calibration = options.scoreCalibration {
            files.removeAll { $0.type == .tensorAxisScoreCalibration }
            files.append(WriterBlocks.calibrationFile(calibration))
            var units = entry.processUnits ?? []
            units.removeAll { if case .scoreCalibration? = $0.options { true } else { false } }
            units.append(WriterBlocks.scoreCalibration(calibration))
            entry.processUnits = units
        }
        entry.associatedFiles = files.isEmpty ? nil : files
    }
}
