/// tflite-support's `bert_nl_classifier.MetadataWriter`: three int32 inputs (ids, mask, segment
/// ids) in the model's order, a BERT or SentencePiece tokenizer as subgraph input process unit,
/// and a classification output.
enum BertNLClassifierPreset {
    static let name = "BertNLClassifier"
    static let description = "Classify the input text into a set of known categories."
    static let outputName = "probability"
    static let outputDescription = "Probabilities of the labels respectively."
    /// The writer's default tensor names (BERT models exported by Model Maker).
    static let defaultNames = (ids: "serving_default_input_word_ids:0", mask: "serving_default_input_mask:0",
                               segment: "serving_default_input_type_ids:0")

    static func build(_ io: PresetModel, _ options: MetadataOptions) throws(PresetError) -> (ModelMetadata, [PackedFile]) {
        try io.expect(inputs: 3, outputs: 1)
        try io.refuse(imageFlags(options) + [
            ("--delim-regex", options.delimiterPattern != nil), ("--sample-rate", options.sampleRate != nil),
            ("--channels", options.channels != nil), ("--input-name", options.inputName != nil),
            ("--input-description", options.inputDescription != nil),
        ])
        let roles = try assignRoles(io.inputs.map(\.name), options)
        let inputs = io.inputs.map { tensor -> TensorMetadata in
            switch roles[tensor.name] {
            case .ids?: WriterBlocks.tensor(name: "ids", description: "Tokenized ids of the input text.")
            case .mask?: WriterBlocks.tensor(name: "mask", description: "Mask with 1 for real tokens and 0 for padding tokens.")
            default: WriterBlocks.tensor(name: "segment_ids", description: "0 for the first sequence, 1 for the second sequence if exists.")
            }
        }
        let tokenizer: ProcessUnit
        var tokenizerFiles: [PackedFile] = []
        if let model = options.sentencePieceModel {
            var vocabulary: [AssociatedFile]?
            if let vocab = options.vocab {
                vocabulary = [WriterBlocks.vocabularyFile(vocab, description: WriterBlocks.sentencePieceVocabularyDescription)]
                tokenizerFiles.append(PackedFile(path: vocab, role: "--vocab"))
            }
            // tflite-support packs the vocabulary before the model.
            tokenizerFiles.append(PackedFile(path: model, role: "--sentencepiece-model"))
            tokenizer = ProcessUnit(options: .sentencePieceTokenizer(SentencePieceTokenizerOptions(
                sentencePieceModel: [AssociatedFile(name: WriterBlocks.basename(model), description: WriterBlocks.sentencePieceModelDescription)],
                vocabFile: vocabulary)))
        } else if let vocab = options.vocab {
            tokenizer = ProcessUnit(options: .bertTokenizer(BertTokenizerOptions(vocabFile: [WriterBlocks.vocabularyFile(vocab)])))
            tokenizerFiles.append(PackedFile(path: vocab, role: "--vocab"))
        } else {
            throw PresetError("--preset bert-nl-classifier needs --vocab (BERT WordPiece vocabulary) or --sentencepiece-model [--vocab]")
        }
        let output = WriterBlocks.classification(
            name: options.outputName ?? outputName, description: options.outputDescription ?? outputDescription,
            labels: io.labelFiles(options), type: io.outputs[0].type, calibration: options.scoreCalibration)
        let metadata = ModelMetadata(name: name, description: description, subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: inputs, outputTensorMetadata: [output], inputProcessUnits: [tokenizer]),
        ])
        return (metadata, io.packed(options) + tokenizerFiles)
    }

    enum Role { case ids, mask, segment }

    /// Which input is which: the names given with `--ids-name`, `--mask-name`, `--segment-name`,
    /// else the writer's defaults, else the one input whose name mentions `mask`, the one that
    /// mentions `segment` or `type_ids`, and the remaining one as ids.
    static func assignRoles(_ names: [String], _ options: MetadataOptions) throws(PresetError) -> [String: Role] {
        var roles: [String: Role] = [:]
        let given: [(Role, String?, String, String)] = [
            (.ids, options.idsName, defaultNames.ids, "--ids-name"),
            (.mask, options.maskName, defaultNames.mask, "--mask-name"),
            (.segment, options.segmentName, defaultNames.segment, "--segment-name"),
        ]
        for (role, explicit, fallback, flag) in given {
            if let explicit {
                guard names.contains(explicit) else {
                    throw PresetError("\(flag) \(explicit): the model has no such input (inputs: \(names.joined(separator: ", ")))")
                }
                roles[explicit] = role
            } else if names.contains(fallback) {
                roles[fallback] = role
            }
        }
        func guess(_ role: Role, _ words: [String]) {
            guard !roles.values.contains(role) else { return }
            let candidates = names.filter { name in roles[name] == nil && words.contains { name.lowercased().contains($0) } }
            if candidates.count == 1 { roles[candidates[0]] = role }
        }
        guess(.mask, ["mask"])
        guess(.segment, ["segment", "type_ids"])
        let rest = names.filter { roles[$0] == nil }
        if rest.count == 1, !roles.values.contains(.ids) { roles[rest[0]] = .ids }
        guard Set(roles.values).count == 3, roles.count == 3 else {
            throw PresetError("cannot tell which input holds the ids, the mask and the segment ids (inputs: "
                + "\(names.joined(separator: ", "))); name them with --ids-name, --mask-name and --segment-name")
        }
        return roles
    }
}
