/// tflite-support's `nl_classifier.MetadataWriter`: a text input with a regex tokenizer and
/// vocabulary, and a classification output.
enum NLClassifierPreset {
    static let name = "NLClassifier"
    static let description = "Classify the input text into a set of known categories."
    static let inputName = "input_text"
    static let inputDescription = "Embedding vectors representing the input text to be classified."
    static let outputName = "probability"
    static let outputDescription = "Probabilities of the labels respectively."
    /// Splits on anything but word characters and apostrophes (the pattern of the TFLite
    /// Model Maker text classifiers).
    static let defaultPattern = #"[^\w\']+"#

    static func build(_ io: PresetModel, _ options: MetadataOptions) throws(PresetError) -> (ModelMetadata, [PackedFile]) {
        try io.expect(inputs: 1, outputs: 1)
        try io.refuse(imageFlags(options) + [
            ("--sentencepiece-model", options.sentencePieceModel != nil), ("--ids-name", options.idsName != nil),
            ("--mask-name", options.maskName != nil), ("--segment-name", options.segmentName != nil),
            ("--sample-rate", options.sampleRate != nil), ("--channels", options.channels != nil),
        ])
        guard let vocab = options.vocab else {
            throw PresetError("--preset nl-classifier needs --vocab (the regex tokenizer's vocabulary file)")
        }
        var input = WriterBlocks.tensor(name: options.inputName ?? inputName, description: options.inputDescription ?? inputDescription)
        input.processUnits = [ProcessUnit(options: .regexTokenizer(RegexTokenizerOptions(
            delimRegexPattern: options.delimiterPattern ?? defaultPattern, vocabFile: [WriterBlocks.vocabularyFile(vocab)])))]
        let output = WriterBlocks.classification(
            name: options.outputName ?? outputName, description: options.outputDescription ?? outputDescription,
            labels: io.labelFiles(options), type: io.outputs[0].type, calibration: options.scoreCalibration)
        let metadata = ModelMetadata(name: name, description: description, subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: [input], outputTensorMetadata: [output]),
        ])
        return (metadata, io.packed(options) + [PackedFile(path: vocab, role: "--vocab")])
    }
}
