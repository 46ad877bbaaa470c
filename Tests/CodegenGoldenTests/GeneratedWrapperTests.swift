import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// The committed goldens compiled and run against TFLiteRuntime (like swift-openapi-generator's
/// PetstoreConsumerTests): each wrapper gives the same numbers as the interpreter called
/// directly with the same preprocessing. These need the models' kernels in TFLiteRuntime.
@Suite struct GeneratedWrapperTests {
    @Test func imageClassifierFloat() async throws {
        let model = try ImageClassifierFloat(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        let pixels = DirectInterpreter.pixels(width: 32, height: 32)
        // In an async context the async overload is chosen, as with Core ML.
        let output = try await model.prediction(image: TensorImage(width: 32, height: 32, rgb: pixels))
        let expected = try DirectInterpreter.run("ImageClassifierFloat", floats: [0: DirectInterpreter.normalized(pixels, mean: [127.5], std: [127.5])])[0]
        let labels = try DirectInterpreter.labels("image_classifier_float")
        #expect(output.probability.map(\.index) == DirectInterpreter.ranking(expected))
        #expect(output.probability.map(\.score) == DirectInterpreter.ranking(expected).map { expected[$0] })
        #expect(output.probability.map(\.label) == DirectInterpreter.ranking(expected).map { labels[$0] })
        #expect(output.probability.map(\.displayName) == DirectInterpreter.ranking(expected).map { labels[$0] })

        // Input struct, async and batch variants agree.
        let input = ImageClassifierFloatInput(image: try TensorImage(width: 32, height: 32, rgb: pixels))
        let viaInput = try await model.prediction(input: input)
        let viaAsync = try await model.prediction(image: input.image)
        let batch = try await model.predictions([input, input])
        #expect(viaInput.probability == output.probability)
        #expect(viaAsync.probability == output.probability)
        #expect(batch.map(\.probability) == [output.probability, output.probability])
    }

    @Test func imageIsResizedBilinearly() throws {
        let model = try ImageClassifierFloat(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        let pixels = DirectInterpreter.pixels(width: 64, height: 48, seed: 3)
        let output = try model.blockingPrediction(image: TensorImage(width: 64, height: 48, rgb: pixels))
        let resized = ImagePreprocessor.resizeBilinear(pixels.map(Float.init), width: 64, height: 48, channels: 3, toWidth: 32, toHeight: 32)
        let expected = try DirectInterpreter.run("ImageClassifierFloat", floats: [0: resized.map { ($0 - 127.5) / 127.5 }])[0]
        #expect(output.probability.map(\.score) == DirectInterpreter.ranking(expected).map { expected[$0] })
    }

    @Test func imageClassifierInt8QuantizesAndDequantizes() throws {
        let model = try ImageClassifierInt8(contentsOf: DirectInterpreter.modelURL("ImageClassifierInt8"))
        let pixels = DirectInterpreter.pixels(width: 32, height: 32)
        let output = try model.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels))
        let expected = try DirectInterpreter.run("ImageClassifierInt8", floats: [0: pixels.map(Float.init)])[0]
        #expect(output.probability.map(\.score) == DirectInterpreter.ranking(expected).map { expected[$0] })
        #expect(output.probability.map(\.index) == DirectInterpreter.ranking(expected))
    }

    @Test func scoreCalibrationLocalesAndTopK() throws {
        let url = DirectInterpreter.modelURL("FlowerClassifier")
        let pixels = DirectInterpreter.pixels(width: 32, height: 32)
        let mean: [Float] = [123.675003, 116.279999, 103.529999], std: [Float] = [58.395, 57.119999, 57.375]
        let raw = try DirectInterpreter.run("FlowerClassifier", floats: [0: DirectInterpreter.normalized(pixels, mean: mean, std: std)])[0]
        // Calibration by hand: scale / (1 + exp(−(slope × logit(x) + offset))), min score → default 0.2.
        let lines = try DirectInterpreter.packedText("image_classifier_calibrated", "score_calibration.txt")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let calibrated: [Float] = raw.indices.map { i in
            let fields = lines[i].split(separator: ",").compactMap { Float($0) }
            guard fields.count >= 3 else { return 0.2 }
            if fields.count == 4, raw[i] < fields[3] { return 0.2 }
            let logit = log(raw[i]) - log(1 - raw[i])
            return fields[0] / (1 + exp(-(fields[1] * logit + fields[2])))
        }
        let model = try FlowerClassifier(contentsOf: url, configuration: .init(locale: "fr", maxResults: 3))
        let output = try model.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels))
        let ranking = Array(DirectInterpreter.ranking(calibrated).prefix(3))
        #expect(output.probability.map(\.index) == ranking)
        for (category, index) in zip(output.probability, ranking) {
            #expect(abs(category.score - calibrated[index]) < 1e-5)
        }
        let english = try DirectInterpreter.labels("image_classifier_calibrated")
        let french = try DirectInterpreter.labels("image_classifier_calibrated", "labels_fr.txt")
        #expect(output.probability.map(\.label) == ranking.map { english[$0] })
        #expect(output.probability.map(\.displayName) == ranking.map { french[$0] })
        // Threshold from the configuration.
        let strict = try FlowerClassifier(contentsOf: url, configuration: .init(scoreThreshold: 2))
        #expect(try strict.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels)).probability.isEmpty)
        // An unknown locale is an error naming it.
        #expect(throws: ModelWrapperError.self) { try FlowerClassifier(contentsOf: url, configuration: .init(locale: "de")) }
    }

    @Test func objectDetectorBoxesInImageCoordinates() throws {
        let model = try ObjectDetector(contentsOf: DirectInterpreter.modelURL("ObjectDetector"))
        let pixels = DirectInterpreter.pixels(width: 32, height: 32)
        // A 32 × 32 image: scaled to 32 × 32 pixels.
        let output = try model.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels))
        let direct = try DirectInterpreter.run("ObjectDetector", floats: [0: DirectInterpreter.normalized(pixels, mean: [127.5], std: [127.5])])
        let labels = try DirectInterpreter.labels("object_detector", "labelmap.txt")
        let count = Int(direct[3][0])
        var expected: [(score: Float, label: String, box: BoundingBox)] = []
        for i in 0..<count {
            let top = direct[0][i * 4], left = direct[0][i * 4 + 1], bottom = direct[0][i * 4 + 2], right = direct[0][i * 4 + 3]
            let cls = Int(direct[1][i])
            expected.append((direct[2][i], labels.indices.contains(cls) ? labels[cls] : "",
                             BoundingBox(x: left * 32, y: top * 32, width: (right - left) * 32, height: (bottom - top) * 32)))
        }
        expected.sort { $0.score > $1.score }
        #expect(output.detectionResult.count == expected.count)
        for (detection, reference) in zip(output.detectionResult, expected) {
            #expect(detection.category.score == reference.score)
            #expect(detection.category.label == reference.label)
            #expect(abs(detection.boundingBox.x - reference.box.x) < 1e-4 && abs(detection.boundingBox.width - reference.box.width) < 1e-4)
            #expect(abs(detection.boundingBox.y - reference.box.y) < 1e-4 && abs(detection.boundingBox.height - reference.box.height) < 1e-4)
        }
    }

    @Test func imageSegmenterMask() throws {
        let model = try ImageSegmenter(contentsOf: DirectInterpreter.modelURL("ImageSegmenter"))
        let pixels = DirectInterpreter.pixels(width: 32, height: 32)
        let mask = try model.blockingPrediction(image: TensorImage(width: 32, height: 32, rgb: pixels)).segmentationMasks
        let scores = try DirectInterpreter.run("ImageSegmenter", floats: [0: DirectInterpreter.normalized(pixels, mean: [127.5], std: [127.5])])[0]
        let expected = (0..<(32 * 32)).map { p in DirectInterpreter.ranking(Array(scores[(p * 4)..<(p * 4 + 4)]))[0] }
        #expect(mask.width == 32 && mask.height == 32)
        #expect(mask.classIndices == expected)
        #expect(mask.labels == (try DirectInterpreter.labels("image_segmenter")))
    }

    @Test func nlClassifierRegexTokenizer() throws {
        let model = try NLClassifier(contentsOf: DirectInterpreter.modelURL("NLClassifier"))
        let output = try model.blockingPrediction(inputText: "This movie was GREAT, I don't love it!")
        // <START> this movie was great i don't love it, then <PAD>.
        let ids: [Int32] = [1, 17, 6, 14, 10, 16, 18, 19, 13] + [Int32](repeating: 0, count: 7)
        let expected = try DirectInterpreter.run("NLClassifier", ints: [0: ids])[0]
        #expect(output.probability.map(\.score) == DirectInterpreter.ranking(expected).map { expected[$0] })
        #expect(output.probability.map(\.label) == DirectInterpreter.ranking(expected).map { ["Negative", "Positive"][$0] })
    }

    @Test func bertClassifierWordPiece() throws {
        let model = try BertNLClassifier(contentsOf: DirectInterpreter.modelURL("BertNLClassifier"))
        let output = try model.blockingPrediction(text: "The movie was great, playing.")
        // [CLS] the movie was great , play ##ing . [SEP]
        let ids: [Int32] = [5, 8, 10, 14, 13, 20, 19, 18, 21, 6] + [Int32](repeating: 0, count: 6)
        let mask: [Int32] = [Int32](repeating: 1, count: 10) + [Int32](repeating: 0, count: 6)
        let expected = try DirectInterpreter.run("BertNLClassifier", ints: [0: ids, 1: [Int32](repeating: 0, count: 16), 2: mask])[0]
        #expect(output.probability.map(\.score) == DirectInterpreter.ranking(expected).map { expected[$0] })
    }

    @Test func audioClassifierChecksSamples() throws {
        let model = try AudioClassifier(contentsOf: DirectInterpreter.modelURL("AudioClassifier"))
        let samples = (0..<1600).map { Float(sin(Double($0) * 2 * .pi * 440 / 16000)) * 0.5 }
        let output = try model.blockingPrediction(audioClip: samples)
        let expected = try DirectInterpreter.run("AudioClassifier", floats: [0: samples])[0]
        #expect(output.probability.map(\.score) == DirectInterpreter.ranking(expected).map { expected[$0] })
        #expect(throws: ModelWrapperError.self) { try model.blockingPrediction(audioClip: Array(samples.prefix(100))) }
    }

    @Test func twoHeadAudioClassifier() throws {
        let model = try SoundAndScene(contentsOf: DirectInterpreter.modelURL("SoundAndScene"))
        let samples = (0..<1600).map { Float(($0 % 50)) / 50 - 0.5 }
        let output = try model.blockingPrediction(audioClip: samples)
        let expected = try DirectInterpreter.run("SoundAndScene", floats: [0: samples])
        #expect(output.sound.map(\.score) == DirectInterpreter.ranking(expected[0]).map { expected[0][$0] })
        #expect(output.scene.map(\.score) == DirectInterpreter.ranking(expected[1]).map { expected[1][$0] })
    }

    @Test func noMetadataWrapperOverTypedTensors() throws {
        let model = try PlainFloat(contentsOf: DirectInterpreter.modelURL("PlainFloat"))
        let features = (0..<3072).map { Float($0 % 255) / 127.5 - 1 }
        // Named from the graph's input `serving_default_image:0`; the output `StatefulPartitionedCall:0` is made up.
        let output = try model.blockingPrediction(image: features)
        let expected = try DirectInterpreter.run("PlainFloat", floats: [0: features])[0]
        #expect(output.output.shape == [1, 5])
        #expect(output.output.scalars == expected)
        #expect(throws: ModelWrapperError.self) { try model.blockingPrediction(image: [1, 2, 3]) }
    }

    /// Without metadata, outputs are named from the graph's tensor names (issue #25 item 9).
    @Test func noMetadataOutputsNamedFromTheGraph() throws {
        let model = try NamedTensors(contentsOf: DirectInterpreter.modelURL("NamedTensors"))
        let image = (0..<768).map { Float($0 % 97) / 97 }
        let output = try model.blockingPrediction(inputImage: image)
        let expected = try DirectInterpreter.run("NamedTensors", floats: [0: image])
        #expect(output.outputHandedness.shape == [1, 1])
        #expect(output.outputLandmarks.shape == [1, 63])
        #expect([output.outputHandedness.scalars, output.outputLandmarks.scalars] == expected)
    }

    /// Metadata that does not fit the model gives the generic wrapper, which runs (issue #25 item 10).
    @Test func metadataThatDoesNotFitGivesAGenericWrapperThatRuns() throws {
        let hand = try HandLandmarkLike(contentsOf: DirectInterpreter.modelURL("HandLandmarkLike"))
        let image = (0..<768).map { Float($0 % 251) }
        let output = try hand.blockingPrediction(inputImage: image)
        #expect([output.outputHandedness.scalars, output.outputLandmarks.scalars] == (try DirectInterpreter.run("HandLandmarkLike", floats: [0: image])))
        let palm = try PalmDetectionLike(contentsOf: DirectInterpreter.modelURL("PalmDetectionLike"))
        let scores = try palm.blockingPrediction(inputImage: image)
        #expect(scores.outputScores.shape == [1, 8, 1])
        #expect(scores.outputBoxes.shape == [1, 8, 18])
        #expect([scores.outputScores.scalars, scores.outputBoxes.scalars] == (try DirectInterpreter.run("PalmDetectionLike", floats: [0: image])))
    }

    @Test func wrappersAreSendable() async throws {
        let model = try ImageClassifierFloat(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        let image = try TensorImage(width: 32, height: 32, rgb: DirectInterpreter.pixels(width: 32, height: 32))
        let reference = try await model.prediction(image: image).probability
        try await withThrowingTaskGroup(of: [TFLiteRuntime.Category].self) { group in
            for _ in 0..<8 { group.addTask { try await model.prediction(image: image).probability } }
            for try await result in group { #expect(result == reference) }
        }
    }
}
