import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// The compiled goldens with cropped and letterboxed images: masks and boxes come back in the
/// image's coordinates, and one-channel segmentation gives confidences.
@Suite struct ImageTransformWrapperTests {
    let preprocessor = ImagePreprocessor(colorSpace: .rgb, mean: [127.5], std: [127.5])

    @Test func personSegmenterGivesConfidences() throws {
        let model = try PersonSegmenter(contentsOf: DirectInterpreter.modelURL("PersonSegmenter"))
        let pixels = DirectInterpreter.pixels(width: 32, height: 32)
        let mask = try model.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels)).segmentationMasks
        let expected = try DirectInterpreter.run("PersonSegmenter", floats: [0: DirectInterpreter.normalized(pixels, mean: [127.5], std: [127.5])])[0]
        #expect(mask.kind == .confidence)
        #expect(mask.width == 16 && mask.height == 16)
        #expect(mask.confidences == expected)
        #expect(mask.classIndices.isEmpty)
        // Not an all-zero category mask: sigmoid values strictly between 0 and 1.
        #expect(mask.confidences.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(Set(mask.confidences).count > 1)
        #expect(mask.labels == ["person"])
    }

    @Test func personSegmenterMaskMapsBackThroughLetterbox() throws {
        let model = try PersonSegmenter(contentsOf: DirectInterpreter.modelURL("PersonSegmenter"))
        // A 64 × 32 image letterboxed into 32 × 32: content rows 8..<24, mask rows 4..<12.
        var image = try TensorImage(width: 64, height: 32, rgb: DirectInterpreter.pixels(width: 64, height: 32))
        image.fit = .letterbox(fill: 0)
        let mask = try model.blockingPrediction(image: image).segmentationMasks
        let expected = try DirectInterpreter.run("PersonSegmenter", floats: [0: preprocessor.normalizedValues(image, width: 32, height: 32, channels: 3)])[0]
        #expect(mask.confidences == expected)
        #expect(mask.transform?.content == ImageRegion(x: 0, y: 8, width: 32, height: 16))
        let onImage = mask.imageMask()
        #expect(onImage.width == 64 && onImage.height == 32 && onImage.kind == .confidence)
        // Image pixel (u, v) has its centre at mask point ((u + 0.5) / 4, 4 + (v + 0.5) / 4):
        // bilinear, so its value lies between the four mask pixels around that point.
        for v in 0..<32 {
            for u in 0..<64 {
                let sx = min(max((Float(u) + 0.5) / 4 - 0.5, 0), 15), sy = min(max(4 + (Float(v) + 0.5) / 4 - 0.5, 4), 11)
                let x0 = Int(sx), y0 = Int(sy), x1 = min(x0 + 1, 15), y1 = min(y0 + 1, 11)
                let around = [mask.confidences[y0 * 16 + x0], mask.confidences[y0 * 16 + x1],
                              mask.confidences[y1 * 16 + x0], mask.confidences[y1 * 16 + x1]]
                let value = onImage.confidences[v * 64 + u]
                #expect(value >= around.min()! - 1e-6 && value <= around.max()! + 1e-6)
            }
        }
        // Whole mask pixels land on whole image pixels where the scale is exact: mask rows 4..<12
        // cover the image, rows 0..<4 and 12..<16 (the padding) do not.
        let constant = SegmentationMask(width: 16, height: 16, confidences: (0..<256).map { $0 / 16 >= 4 && $0 / 16 < 12 ? 1 : 0 },
                                        transform: mask.transform)
        #expect(constant.imageMask().confidences.allSatisfy { $0 == 1 })
    }

    @Test func imageSegmenterMaskUndoesCrop() throws {
        let model = try ImageSegmenter(contentsOf: DirectInterpreter.modelURL("ImageSegmenter"))
        let pixels = DirectInterpreter.pixels(width: 48, height: 32, seed: 7)
        var image = try TensorImage(width: 48, height: 32, rgb: pixels)
        image.crop = .center
        let mask = try model.blockingPrediction(image: image).segmentationMasks
        #expect(mask.kind == .category)
        // The centre 32 × 32 of the image is exactly the model's input: the image mask is the
        // model's mask there, uncovered on the 8 columns either side.
        let onImage = mask.imageMask()
        #expect(onImage.width == 48 && onImage.height == 32)
        for y in 0..<32 {
            for x in 0..<48 {
                let value = onImage.classIndices[y * 48 + x]
                if x < 8 || x >= 40 {
                    #expect(value == SegmentationMask.uncovered)
                } else {
                    #expect(value == mask.classIndices[y * 32 + x - 8])
                }
            }
        }
    }

    @Test func objectDetectorBoxesThroughLetterbox() throws {
        let model = try ObjectDetector(contentsOf: DirectInterpreter.modelURL("ObjectDetector"))
        // A 32 × 16 image letterboxed into 32 × 32: scale 1, 8 rows of padding above.
        var image = try TensorImage(width: 32, height: 16, rgb: DirectInterpreter.pixels(width: 32, height: 16, seed: 4))
        image.fit = .letterbox()
        let output = try model.blockingPrediction(image: image)
        let direct = try DirectInterpreter.run("ObjectDetector", floats: [0: preprocessor.normalizedValues(image, width: 32, height: 32, channels: 3)])
        let count = Int(direct[3][0])
        var expected: [(score: Float, box: BoundingBox)] = []
        for i in 0..<count {
            let top = direct[0][i * 4], left = direct[0][i * 4 + 1], bottom = direct[0][i * 4 + 2], right = direct[0][i * 4 + 3]
            expected.append((direct[2][i], BoundingBox(x: left * 32, y: top * 32 - 8, width: (right - left) * 32, height: (bottom - top) * 32)))
        }
        expected.sort { $0.score > $1.score }
        #expect(output.detectionResult.count == expected.count && count > 0)
        for (detection, reference) in zip(output.detectionResult, expected) {
            #expect(detection.category.score == reference.score)
            #expect(abs(detection.boundingBox.x - reference.box.x) < 1e-4 && abs(detection.boundingBox.width - reference.box.width) < 1e-4)
            #expect(abs(detection.boundingBox.y - reference.box.y) < 1e-4 && abs(detection.boundingBox.height - reference.box.height) < 1e-4)
        }
    }
}
