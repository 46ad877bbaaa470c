import Testing
@testable import TFLiteCodegen

@Suite struct NamingTests {
    @Test func camelCasesMetadataNames() {
        #expect(Naming.lowerCamel("number of detections") == "numberOfDetections")
        #expect(Naming.lowerCamel("segment_ids") == "segmentIds")
        #expect(Naming.lowerCamel("input_text") == "inputText")
        #expect(Naming.lowerCamel("Probability") == "probability")
        #expect(Naming.lowerCamel("serving_default_image:0") == "servingDefaultImage0")
        #expect(Naming.lowerCamel("3d points") == "_3dPoints")
        #expect(Naming.lowerCamel("   ") == nil)
        #expect(Naming.upperCamel("Tiny flower classifier") == "TinyFlowerClassifier")
        #expect(Naming.upperCamel("image_classifier_float") == "ImageClassifierFloat")
    }

    @Test func escapesKeywords() {
        #expect(Naming.escaped("default") == "`default`")
        #expect(Naming.escaped("class") == "`class`")
        #expect(Naming.escaped("image") == "image")
    }

    @Test func resolvesCollisionsInOrder() {
        #expect(Naming.uniqued(["image", "image", "score", "image"]) == ["image", "image2", "score", "image3"])
        #expect(Naming.uniqued(["input", "configuration"]) == ["input2", "configuration2"])
    }
}
