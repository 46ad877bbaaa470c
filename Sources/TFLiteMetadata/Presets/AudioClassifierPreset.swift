/// tflite-support's `audio_classifier.MetadataWriter`: an audio input with sample rate and
/// channels, and a classification output.
enum AudioClassifierPreset {
    static let name = "AudioClassifier"
    static let description = "Identify the most prominent type in the audio clip from a known set of categories."
    static let inputName = "audio_clip"
    static let inputDescription = "Input audio clip to be classified."
    static let outputName = "probability"
    static let outputDescription = "Scores of the labels respectively."

    static func build(_ io: PresetModel, _ options: MetadataOptions) throws(PresetError) -> (ModelMetadata, [PackedFile]) {
        try io.expect(inputs: 1, outputs: 1)
        try io.refuse(imageFlags(options) + [
            ("--vocab", options.vocab != nil), ("--delim-regex", options.delimiterPattern != nil),
            ("--sentencepiece-model", options.sentencePieceModel != nil), ("--ids-name", options.idsName != nil),
            ("--mask-name", options.maskName != nil), ("--segment-name", options.segmentName != nil),
        ])
        guard let sampleRate = options.sampleRate, sampleRate > 0, let channels = options.channels, channels > 0 else {
            throw PresetError("--preset audio-classifier needs --sample-rate and --channels (both positive)")
        }
        let input = WriterBlocks.tensor(name: options.inputName ?? inputName, description: options.inputDescription ?? inputDescription,
                                        content: .audio(AudioProperties(sampleRate: sampleRate, channels: channels)))
        let output = WriterBlocks.classification(
            name: options.outputName ?? outputName, description: options.outputDescription ?? outputDescription,
            labels: io.labelFiles(options), type: io.outputs[0].type, calibration: options.scoreCalibration)
        let metadata = ModelMetadata(name: name, description: description, subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: [input], outputTensorMetadata: [output]),
        ])
        return (metadata, io.packed(options))
    }
}
