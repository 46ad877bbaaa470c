import Testing
import TFLiteRuntime

@Suite("Segmentation masks: confidence for one channel, categories for many, mapped back to the image")
struct SegmentationMaskTests {
    @Test("a one-channel output is a confidence mask of floats")
    func confidence() throws {
        let scores = ShapedArray<Float>(shape: [1, 2, 2, 1], scalars: [0.1, 0.9, 0.75, 0.2])
        let mask = try SegmentationMask(scores: scores, labels: [])
        #expect(mask.kind == .confidence)
        #expect(mask.confidences == [0.1, 0.9, 0.75, 0.2])
        #expect(mask.classIndices.isEmpty)
        #expect(mask.confidence(x: 1, y: 0) == 0.9)
        #expect(mask.classIndex(x: 1, y: 0) == 1 && mask.classIndex(x: 0, y: 0) == 0)
    }

    @Test("a multi-class output is a category mask (argmax)")
    func category() throws {
        let scores = ShapedArray<Float>(shape: [1, 1, 2, 3], scalars: [0.1, 0.7, 0.2, 0.9, 0.05, 0.05])
        let mask = try SegmentationMask(scores: scores, labels: ["bg", "cat", "dog"])
        #expect(mask.kind == .category)
        #expect(mask.classIndices == [1, 0])
        #expect(mask.confidence(x: 0, y: 0) == nil)
        #expect(mask.label(x: 0, y: 0) == "cat")
    }

    @Test("class indices that are not finite integers are uncovered, not a trap")
    func hostileIndices() throws {
        let mask = try SegmentationMask(scores: ShapedArray<Float>(shape: [1, 1, 3], scalars: [2, .nan, 1e20]), labels: [])
        #expect(mask.classIndices == [2, SegmentationMask.uncovered, SegmentationMask.uncovered])
        #expect(throws: (any Error).self) { try SegmentationMask(scores: ShapedArray<Float>(shape: [1, 4, 4, 2], scalars: [0]), labels: []) }
    }

    @Test("a stretched mask maps back to the image's size")
    func stretched() throws {
        // 2 × 2 classes, a 4 × 4 input, an 8 × 6 image.
        let transform = ImageTransform(imageWidth: 8, imageHeight: 6, inputWidth: 4, inputHeight: 4)
        let mask = try SegmentationMask(scores: ShapedArray<Float>(shape: [1, 2, 2], scalars: [0, 1, 2, 3]), labels: [], transform: transform)
        let image = mask.imageMask()
        #expect(image.width == 8 && image.height == 6 && image.transform == nil)
        #expect(image.classIndices == [0, 0, 0, 0, 1, 1, 1, 1,
                                       0, 0, 0, 0, 1, 1, 1, 1,
                                       0, 0, 0, 0, 1, 1, 1, 1,
                                       2, 2, 2, 2, 3, 3, 3, 3,
                                       2, 2, 2, 2, 3, 3, 3, 3,
                                       2, 2, 2, 2, 3, 3, 3, 3])
    }

    @Test("letterbox undone: the padding's mask rows are dropped")
    func letterboxed() throws {
        // A 4 × 2 image letterboxed into 4 × 4: content rows 1..<3.
        let transform = ImageTransform(imageWidth: 4, imageHeight: 2, inputWidth: 4, inputHeight: 4, fit: .letterbox())
        #expect(transform.content == ImageRegion(x: 0, y: 1, width: 4, height: 2))
        let scores = ShapedArray<Float>(shape: [1, 4, 4, 1], scalars: [0, 0, 0, 0,
                                                                       0.1, 0.2, 0.3, 0.4,
                                                                       0.5, 0.6, 0.7, 0.8,
                                                                       0, 0, 0, 0])
        let image = try SegmentationMask(scores: scores, labels: [], transform: transform).imageMask()
        #expect(image.kind == .confidence)
        #expect(image.confidences == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    }

    @Test("crop undone: outside the crop is uncovered (categories) or 0 (confidences)")
    func cropped() throws {
        let transform = ImageTransform(imageWidth: 4, imageHeight: 1, inputWidth: 2, inputHeight: 1,
                                       crop: .region(ImageRegion(x: 1, y: 0, width: 2, height: 1)))
        let categories = try SegmentationMask(scores: ShapedArray<Float>(shape: [1, 1, 2], scalars: [5, 6]), labels: [], transform: transform).imageMask()
        #expect(categories.classIndices == [SegmentationMask.uncovered, 5, 6, SegmentationMask.uncovered])
        let confidences = try SegmentationMask(scores: ShapedArray<Float>(shape: [1, 1, 2, 1], scalars: [0.25, 0.5]), labels: [], transform: transform).imageMask()
        #expect(confidences.confidences == [0, 0.25, 0.5, 0])
    }
}
