import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// What an app sees of a generated wrapper besides predictions: readable errors, outputs it can
/// make itself, the model's description at run time.
@Suite struct WrapperDescriptionTests {
    @Test func errorsAreLocalized() throws {
        let url = DirectInterpreter.modelURL("AudioClassifier")
        let model = try AudioClassifier(contentsOf: url)
        do {
            _ = try model.blockingPrediction(audioClip: [0, 1])
            Issue.record("a 2-sample clip was accepted")
        } catch {
            // What `error.localizedDescription` shows in an alert: the message, not "error 4".
            #expect(error.localizedDescription == "\(error)")
            #expect(error.localizedDescription.contains("audioClip"))
        }
        let missing = Fixtures.root.appending(path: "no-such-model.tflite")
        do {
            _ = try AudioClassifier(contentsOf: missing)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.localizedDescription.hasPrefix("cannot load the model"))
            #expect(error.localizedDescription.contains("no-such-model.tflite"))
        }
        let interpreterError: any Error = InterpreterError.invalidInput("input 0 takes 12 bytes")
        #expect(interpreterError.localizedDescription == "\(interpreterError)")
    }

    @Test func outputsHavePublicInitializers() {
        // Fakes for tests and previews, without a model.
        let fake = ImageClassifierFloatOutput(probability: [TFLiteRuntime.Category(index: 2, label: "tulips", score: 0.9)])
        #expect(fake.probability.first?.label == "tulips")
        let detections = ObjectDetectorOutput(detectionResult: [])
        #expect(detections.detectionResult.isEmpty)
        let two = SoundAndSceneOutput(sound: [], scene: [TFLiteRuntime.Category(index: 0, label: "indoor", score: 1)])
        #expect(two.scene.count == 1)
    }

    @Test func modelDescriptionAtRunTime() throws {
        let description = FlowerClassifier.modelDescription
        #expect(description.modelFileName == "FlowerClassifier.tflite")
        #expect(description.inputs.map(\.name) == ["image"])
        let image = try #require(description.feature(named: "image"))
        #expect(image.imageSize == ModelDescription.ImageSize(width: 32, height: 32))
        #expect(image.shape == [1, 32, 32, 3])
        #expect(image.dataType == "float32")
        #expect(description.outputs.map(\.name) == ["probability"])
        // Labels are packed in the model: read when it loads.
        #expect(description.outputs[0].labels == nil)
        let model = try FlowerClassifier(contentsOf: DirectInterpreter.modelURL("FlowerClassifier"))
        let labels = try DirectInterpreter.labels("image_classifier_calibrated")
        #expect(model.modelDescription.outputs[0].labels == labels)
        #expect(model.modelDescription.inputs == description.inputs)

        let detector = ObjectDetector.modelDescription.outputs[0]
        #expect(detector.tensorNames.count == 4)
        let loaded = try ObjectDetector(contentsOf: DirectInterpreter.modelURL("ObjectDetector"))
        #expect(loaded.modelDescription.outputs[0].labels == (try DirectInterpreter.labels("object_detector", "labelmap.txt")))

        // Without metadata: the graph's tensors, no labels.
        let plain = PlainFloat.modelDescription
        #expect(plain.inputs[0].shape == [1, 32, 32, 3])
        #expect(plain.outputs[0].labels == nil)
        #expect(plain.version == nil)
    }
}
