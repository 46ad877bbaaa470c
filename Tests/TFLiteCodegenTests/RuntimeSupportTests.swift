import Foundation
import Testing
@_spi(GeneratedCode) import TFLiteRuntime

/// The runtime helpers generated wrappers call: each metadata-driven behaviour on its own.
@Suite struct RuntimeSupportTests {
    @Test func tensorImageChecksItsSize() throws {
        #expect(throws: ModelWrapperError.self) { try TensorImage(width: 2, height: 2, rgb: [1, 2, 3]) }
        #expect(throws: ModelWrapperError.self) { try TensorImage(width: 0, height: 2, rgb: []) }
        let image = try TensorImage(width: 1, height: 1, rgba: [10, 20, 30, 255])
        #expect(image.channelValues(channels: 3) == [10, 20, 30])
    }

    @Test func pixelFormatsGiveTheSameRGB() throws {
        let rgb = try TensorImage(width: 1, height: 2, rgb: [10, 20, 30, 40, 50, 60])
        let bgra = try TensorImage(width: 1, height: 2, bgra: [30, 20, 10, 0, 60, 50, 40, 0])
        #expect(rgb.channelValues(channels: 3) == bgra.channelValues(channels: 3))
        let gray = try TensorImage(width: 1, height: 1, gray: [77])
        #expect(gray.channelValues(channels: 3) == [77, 77, 77])
        #expect(gray.channelValues(channels: 1) == [77])
        // RGB → GRAYSCALE with BT.601 luma.
        #expect(try TensorImage(width: 1, height: 1, rgb: [255, 0, 0]).channelValues(channels: 1) == [76])
    }

    @Test func bilinearResize() {
        // Same size: a copy.
        #expect(ImagePreprocessor.resizeBilinear([1, 2, 3, 4], width: 2, height: 2, channels: 1, toWidth: 2, toHeight: 2) == [1, 2, 3, 4])
        // 2×1 → 4×1 with half-pixel centres: 0, 0.25, 0.75, 1 of the way.
        #expect(ImagePreprocessor.resizeBilinear([0, 100], width: 2, height: 1, channels: 1, toWidth: 4, toHeight: 1) == [0, 25, 75, 100])
        // Downscale 4×4 → 2×2 averages 2×2 blocks' centres.
        let values: [Float] = (0..<16).map(Float.init)
        #expect(ImagePreprocessor.resizeBilinear(values, width: 4, height: 4, channels: 1, toWidth: 2, toHeight: 2) == [2.5, 4.5, 10.5, 12.5])
    }

    @Test func normalizationPerChannel() throws {
        let image = try TensorImage(width: 1, height: 1, rgb: [100, 150, 200])
        let shared = ImagePreprocessor(colorSpace: .rgb, mean: [127.5], std: [127.5])
        let expected: [Float] = [100, 150, 200].map { ($0 - 127.5) / 127.5 }
        #expect(shared.normalizedValues(image, width: 1, height: 1, channels: 3) == expected)
        let perChannel = ImagePreprocessor(colorSpace: .rgb, mean: [100, 100, 100], std: [1, 2, 4])
        #expect(perChannel.normalizedValues(image, width: 1, height: 1, channels: 3) == [0, 25, 25])
    }

    @Test func quantizationRoundsToNearestAndClamps() throws {
        let uint8 = TensorQuantizer(type: .uint8, quantization: Quantization(scales: [0.5], zeroPoints: [10]), name: "x")
        var bytes = [UInt8](repeating: 0, count: 5)
        try bytes.withUnsafeMutableBytes { try uint8.store([0, 1.25, -100, 1000, 0.74], into: $0) }
        // 1.25 / 0.5 = 2.5 → 3 (ties away from zero) + 10; clamped to 0 and 255; 0.74/0.5 = 1.48 → 1.
        #expect(bytes == [10, 13, 0, 255, 11])
        let int8 = TensorQuantizer(type: .int8, quantization: Quantization(scales: [1], zeroPoints: [-128]), name: "x")
        var signed = [Int8](repeating: 0, count: 3)
        try signed.withUnsafeMutableBytes { try int8.store([0, 255, 300], into: $0) }
        #expect(signed == [-128, 127, 127])
        // Not quantized: a cast with rounding and clamping.
        let cast = TensorQuantizer(type: .uint8, quantization: nil, name: "x")
        var raw = [UInt8](repeating: 0, count: 2)
        try raw.withUnsafeMutableBytes { try cast.store([12.5, -3], into: $0) }
        #expect(raw == [13, 0])
    }

    @Test func scoreCalibration() throws {
        let calibration = try ScoreCalibration(text: "1.0,2.0,0.5\n\n0.5,1.0,0.0,0.3\n", transformation: .identity, defaultScore: 0.2)
        #expect(abs(calibration.calibrate(0.5, index: 0) - 1 / (1 + exp(-(2 * 0.5 + 0.5)))) < 1e-6)
        #expect(calibration.calibrate(0.9, index: 1) == 0.2)  // empty line: default score
        #expect(calibration.calibrate(0.1, index: 2) == 0.2)  // below min score
        #expect(abs(calibration.calibrate(0.4, index: 2) - 0.5 / (1 + exp(-0.4))) < 1e-6)
        #expect(calibration.calibrate(0.4, index: 9) == 0.2)  // no parameters
        let logistic = try ScoreCalibration(text: "1,1,0\n", transformation: .inverseLogistic, defaultScore: 0)
        #expect(abs(logistic.calibrate(0.3, index: 0) - 0.3) < 1e-6)  // sigmoid(logit(x)) = x
        #expect(throws: ModelWrapperError.self) { try ScoreCalibration(text: "-1,1,0\n", transformation: .log, defaultScore: 0) }
        #expect(throws: ModelWrapperError.self) { try ScoreCalibration(text: "1,1\n", transformation: .log, defaultScore: 0) }
    }

    @Test func classifierSortsThresholdsAndTruncates() {
        let classifier = Classifier(labels: ["a", "b", "c", "d"], displayNames: ["A", "B", "C", "D"], scoreThreshold: 0.15)
        let all = classifier.categories([0.1, 0.5, 0.2, 0.5])
        #expect(all.map(\.index) == [1, 3, 2])
        #expect(all.map(\.label) == ["b", "d", "c"])
        #expect(all.map(\.displayName) == ["B", "D", "C"])
        #expect(classifier.categories([0.1, 0.5, 0.2, 0.5], maxResults: 1).map(\.index) == [1])
        #expect(classifier.categories([0.1, 0.5, 0.2, 0.5], threshold: 0).count == 4)
        // Without labels, the label is empty.
        #expect(Classifier().categories([1]).first?.label == "")
    }

    @Test func detectionBoxesFollowBoundingBoxProperties() {
        let classifier = Classifier(labels: ["person", "bicycle", "car"])
        // [top, left, bottom, right] ratios (index [1, 0, 3, 2]), as the tflite-support detector writes them.
        let boundaries = DetectionDecoder(index: [1, 0, 3, 2], type: .boundaries, coordinateType: .ratio, classifier: classifier)
        let detections = boundaries.detections(locations: [0.1, 0.2, 0.5, 0.6, 0, 0, 1, 1], classes: [2, 0], scores: [0.4, 0.9], count: 2,
                                               imageWidth: 200, imageHeight: 100, inputWidth: 32, inputHeight: 32)
        #expect(detections.map(\.category.label) == ["person", "car"])
        #expect(close(detections[1].boundingBox, BoundingBox(x: 40, y: 10, width: 80, height: 40)))
        #expect(detections[0].boundingBox == BoundingBox(x: 0, y: 0, width: 200, height: 100))
        // The number tensor limits the boxes read.
        #expect(boundaries.detections(locations: [0.1, 0.2, 0.5, 0.6, 0, 0, 1, 1], classes: [2, 0], scores: [0.4, 0.9], count: 1,
                                      imageWidth: 200, imageHeight: 100, inputWidth: 32, inputHeight: 32).count == 1)
        // CENTER in pixels of a 32 × 32 input, scaled to a 64 × 64 image.
        let center = DetectionDecoder(index: [0, 1, 2, 3], type: .center, coordinateType: .pixel, classifier: classifier)
        let box = center.detections(locations: [16, 8, 10, 4], classes: [1], scores: [1], count: nil,
                                    imageWidth: 64, imageHeight: 64, inputWidth: 32, inputHeight: 32)[0].boundingBox
        #expect(box == BoundingBox(x: 22, y: 12, width: 20, height: 8))
        let upperLeft = DetectionDecoder(index: [0, 1, 2, 3], type: .upperLeft, coordinateType: .ratio, classifier: classifier)
        #expect(upperLeft.detections(locations: [0.5, 0.5, 0.25, 0.5], classes: [1], scores: [1], count: nil,
                                     imageWidth: 100, imageHeight: 100, inputWidth: 1, inputHeight: 1)[0].boundingBox
                == BoundingBox(x: 50, y: 50, width: 25, height: 50))
        // Threshold and maximum count.
        #expect(boundaries.detections(locations: [0.1, 0.2, 0.5, 0.6, 0, 0, 1, 1], classes: [2, 0], scores: [0.4, 0.9], count: 2,
                                      imageWidth: 1, imageHeight: 1, inputWidth: 1, inputHeight: 1, threshold: 0.5).count == 1)
        #expect(boundaries.detections(locations: [0.1, 0.2, 0.5, 0.6, 0, 0, 1, 1], classes: [2, 0], scores: [0.4, 0.9], count: 2,
                                      imageWidth: 1, imageHeight: 1, inputWidth: 1, inputHeight: 1, maxResults: 1).map(\.category.index) == [0])
    }

    @Test func segmentationMaskTakesTheBestClass() throws {
        let scores = ShapedArray<Float>(shape: [1, 1, 2, 3], scalars: [0.1, 0.7, 0.2, 0.5, 0.2, 0.3])
        let mask = try SegmentationMask(scores: scores, labels: ["bg", "cat", "dog"])
        #expect(mask.width == 2 && mask.height == 1)
        #expect(mask.classIndices == [1, 0])
        #expect(mask.label(x: 0, y: 0) == "cat")
        #expect(mask.label(x: 1, y: 0) == "bg")
    }

    @Test func vocabularyFormats() {
        let paired = Vocabulary(text: "<PAD> 0\n<START> 1\nthe 3\n")
        #expect(paired["the"] == 3 && paired["<START>"] == 1)
        let lines = Vocabulary(text: "[PAD]\n[UNK]\nhello\n")
        #expect(lines["hello"] == 2)
    }

    @Test func regexTokenizerLikeNLClassifier() throws {
        let vocabulary = Vocabulary(text: "<PAD> 0\n<START> 1\n<UNKNOWN> 2\nthe 3\nmovie 4\nisn't 5\n")
        let tokenizer = try RegexTokenizer(pattern: "[^\\w\\']+", vocabulary: vocabulary)
        #expect(tokenizer.tokenize("The movie, isn't GREAT!") == ["the", "movie", "isn't", "great"])
        #expect(tokenizer.ids(for: "The movie, isn't GREAT!", length: 8) == [1, 3, 4, 5, 2, 0, 0, 0])
        #expect(tokenizer.ids(for: "the the the the", length: 3) == [1, 3, 3])
    }

    @Test func bertWordPiece() {
        let vocabulary = Vocabulary(text: "[PAD]\n[UNK]\n[CLS]\n[SEP]\nun\n##aff\n##able\nhello\n,\nwor\n##ld\n")
        let tokenizer = BertTokenizer(vocabulary: vocabulary)
        #expect(tokenizer.basicTokens("Héllo, World!") == ["hello", ",", "world", "!"])
        #expect(tokenizer.tokenize("Unaffable hello, world xyz") == ["un", "##aff", "##able", "hello", ",", "wor", "##ld", "[UNK]"])
        let encoding = tokenizer.encode("hello, unaffable", length: 8)
        #expect(encoding.ids == [2, 7, 8, 4, 5, 6, 3, 0])
        #expect(encoding.mask == [1, 1, 1, 1, 1, 1, 1, 0])
        #expect(encoding.segmentIds == [Int32](repeating: 0, count: 8))
        // Truncated to leave room for [CLS] and [SEP].
        #expect(tokenizer.encode("hello hello hello hello", length: 4).ids == [2, 7, 7, 3])
    }
}

/// Boxes equal to within float rounding.
func close(_ a: BoundingBox, _ b: BoundingBox) -> Bool {
    abs(a.x - b.x) < 1e-3 && abs(a.y - b.y) < 1e-3 && abs(a.width - b.width) < 1e-3 && abs(a.height - b.height) < 1e-3
}
