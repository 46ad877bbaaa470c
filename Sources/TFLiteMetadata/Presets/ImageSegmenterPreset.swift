/// tflite-support's `image_segmenter.MetadataWriter`: an RGB image input and a GRAYSCALE mask
/// output over dimensions 1–2 with labels for the classes.
enum ImageSegmenterPreset {
    static let name = "ImageSegmenter"
    static let description = "Semantic image segmentation predicts whether each pixel of an image is associated with a certain class."
    static let inputName = "image"
    static let inputDescription = "Input image to be segmented."
    static let outputName = "segmentation_masks"
    static let outputDescription = "Masks over the target objects with high accuracy."

    static func build(_ io: PresetModel, _ options: MetadataOptions) throws(PresetError) -> (ModelMetadata, [PackedFile]) {
        try io.expect(inputs: 1, outputs: 1)
        try io.refuse(textAndAudioFlags(options) + [("--score-calibration", options.scoreCalibration != nil)])
        let (mean, std) = try io.normalization(options)
        let input = WriterBlocks.imageInput(
            name: options.inputName ?? inputName, description: options.inputDescription ?? inputDescription,
            mean: mean, std: std, colorSpace: options.colorSpace ?? .rgb, type: io.inputs[0].type)
        var output = WriterBlocks.tensor(name: options.outputName ?? outputName,
                                         description: options.outputDescription ?? outputDescription,
                                         files: io.labelFiles(options))
        output.content = Content(contentProperties: .image(ImageProperties(colorSpace: .grayscale)), range: ValueRange(min: 1, max: 2))
        let metadata = ModelMetadata(name: name, description: description, subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: [input], outputTensorMetadata: [output]),
        ])
        return (metadata, io.packed(options))
    }
}
