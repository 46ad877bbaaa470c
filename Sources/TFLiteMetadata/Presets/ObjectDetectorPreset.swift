/// tflite-support's `object_detector.MetadataWriter`: an RGB image input and the four outputs
/// of `TFLite_Detection_PostProcess` (location, category, score, number of detections), grouped
/// as `detection_result`.
enum ObjectDetectorPreset {
    static let name = "ObjectDetector"
    static let description = "Identify which of a known set of objects might be present and provide information "
        + "about their positions within the given image or a video stream."
    static let inputName = "image"
    static let inputDescription = "Input image to be detected."
    static let groupName = "detection_result"
    /// The box values' positions: top, left, bottom, right as the post-processing op writes them.
    static let boxIndex: [UInt32] = [1, 0, 3, 2]

    static func build(_ io: PresetModel, _ options: MetadataOptions) throws(PresetError) -> (ModelMetadata, [PackedFile]) {
        try io.expect(inputs: 1, outputs: 4)
        try io.refuse(textAndAudioFlags(options) + [
            ("--output-name", options.outputName != nil), ("--output-description", options.outputDescription != nil),
        ])
        let (mean, std) = try io.normalization(options)
        let input = WriterBlocks.imageInput(
            name: options.inputName ?? inputName, description: options.inputDescription ?? inputDescription,
            mean: mean, std: std, colorSpace: options.colorSpace ?? .rgb, type: io.inputs[0].type)

        let range = ValueRange(min: 2, max: 2)
        var location = WriterBlocks.tensor(name: "location", description: "The locations of the detected boxes.")
        location.content = Content(
            contentProperties: .boundingBox(BoundingBoxProperties(index: boxIndex, type: .boundaries, coordinateType: .ratio)),
            range: range)
        var category = WriterBlocks.tensor(name: "category", description: "The categories of the detected boxes.",
                                           files: io.labelFiles(options, type: .tensorValueLabels))
        category.content?.range = range
        var score = WriterBlocks.classification(name: "score", description: "The scores of the detected boxes.",
                                                labels: [], type: nil, calibration: options.scoreCalibration)
        score.content?.range = range
        let number = WriterBlocks.tensor(name: "number of detections", description: "The number of the detected boxes.")

        // The writer assigns the roles to the outputs in ascending tensor index order.
        let roles = [location, category, score, number]
        let sorted = io.outputIndices.sorted()
        let outputs = io.outputIndices.map { index in roles[sorted.firstIndex(of: index) ?? 0] }
        let group = TensorGroup(name: groupName, tensorNames: ["location", "category", "score"])
        let metadata = ModelMetadata(name: name, description: description, subgraphMetadata: [
            SubGraphMetadata(inputTensorMetadata: [input], outputTensorMetadata: outputs, outputTensorGroups: [group]),
        ])
        return (metadata, io.packed(options))
    }
}
