/// tflite-support's `image_classifier.MetadataWriter`: an RGB image input with normalization and
/// a classification output with labels and optional score calibration.
enum ImageClassifierPreset {
    static let name = "ImageClassifier"
    static let description = "Identify the most prominent object in the image from a known set of categories."
    static let inputName = "image"
    static let inputDescription = "Input image to be classified."
    static let outputName = "probability"
    static let outputDescription = "Probabilities of the labels respectively."

    static func build(_ io: PresetModel, _ options: MetadataOptions) throws(PresetError) -> (ModelMetadata, [PackedFile]) {
        try io.expect(inputs: 1, outputs: 1)
        try io.refuse(textAndAudioFlags(options))
        let (mean, std) = try io.normalization(options)
        let input = WriterBlocks.imageInput(
            name: options.inputName ?? inputName, description: options.inputDescription ?? inputDescription,
            mean: mean, std: std, colorSpace: options.colorSpace ?? .rgb, type: io.inputs[0].type)
        let output = WriterBlocks.classification(
            name: options.outputName ?? outputName, description: options.outputDescription ?? outputDescription,
            labels: io.labelFiles(options), type: io.outputs[0].type, calibration: options.scoreCalibration)
        let metadata = ModelMetadata(name: name, description: description, subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: [input], outputTensorMetadata: [output]),
        ])
        return (metadata, io.packed(options))
    }
}

/// The text and audio flags, which image presets do not use.
func textAndAudioFlags(_ options: MetadataOptions) -> [(String, Bool)] {
    [("--vocab", options.vocab != nil), ("--delim-regex", options.delimiterPattern != nil),
     ("--sentencepiece-model", options.sentencePieceModel != nil), ("--ids-name", options.idsName != nil),
     ("--mask-name", options.maskName != nil), ("--segment-name", options.segmentName != nil),
     ("--sample-rate", options.sampleRate != nil), ("--channels", options.channels != nil)]
}

/// The image flags, which text and audio presets do not use.
func imageFlags(_ options: MetadataOptions) -> [(String, Bool)] {
    [("--mean", options.mean != nil), ("--std", options.std != nil), ("--color-space", options.colorSpace != nil)]
}
