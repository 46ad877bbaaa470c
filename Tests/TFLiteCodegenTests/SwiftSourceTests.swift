import Testing
@testable import TFLiteCodegen

/// The escaping layer: the only way model text becomes generated code.
@Suite struct SwiftSourceTests {
    @Test func camelCasesMetadataNames() {
        #expect(SwiftSource.lowerCamel("number of detections") == "numberOfDetections")
        #expect(SwiftSource.lowerCamel("segment_ids") == "segmentIds")
        #expect(SwiftSource.lowerCamel("input_text") == "inputText")
        #expect(SwiftSource.lowerCamel("Probability") == "probability")
        #expect(SwiftSource.lowerCamel("serving_default_image:0") == "servingDefaultImage0")
        #expect(SwiftSource.lowerCamel("3d points") == "_3dPoints")
        #expect(SwiftSource.lowerCamel("   ") == nil)
        #expect(SwiftSource.lowerCamel("é") == "é")
        #expect(SwiftSource.lowerCamel("\u{202E}") == nil)
        #expect(SwiftSource.upperCamel("Tiny flower classifier") == "TinyFlowerClassifier")
        #expect(SwiftSource.upperCamel("image_classifier_float") == "ImageClassifierFloat")
    }

    @Test func identifiersAreNeverKeywords() {
        #expect(SwiftSource.memberName("default", fallback: "x").text == "default_")
        #expect(SwiftSource.memberName("self", fallback: "x").text == "self_")
        #expect(SwiftSource.memberName("class", fallback: "x").text == "class_")
        #expect(SwiftSource.memberName("image", fallback: "x").text == "image")
        #expect(SwiftSource.memberName("\u{202E}", fallback: "x").text == "x")
        #expect(SwiftSource.typeName("Self")?.text == "SelfModel")
        #expect(SwiftSource.typeName("Any")?.text == "AnyModel")
        #expect(SwiftSource.typeName("self")?.text == "SelfModel")
        #expect(SwiftSource.typeName("Type")?.text == "TypeModel")
    }

    /// Issue #20 (3): a class named after a module the wrapper writes (`TFLiteRuntime.Category`)
    /// would shadow it.
    @Test func typeNamesNeverShadowModules() {
        for module in ["TFLiteRuntime", "Foundation", "Swift", "Dispatch", "_Concurrency", "Configuration"] {
            #expect(SwiftSource.typeName(module)?.text == module + "Model" || module.hasPrefix("_"), "\(module)")
            #expect(SwiftSource.validatedTypeName(module) == nil, "\(module)")
        }
        #expect(SwiftSource.validatedTypeName("Category")?.text == "Category")
        #expect(SwiftSource.validatedTypeName("9 lives") == nil)
        #expect(SwiftSource.validatedTypeName("Caf\u{E9}")?.text == "Caf\u{E9}")
        #expect(SwiftSource.validatedTypeName("Caf\u{202E}e") == nil)
    }

    @Test func resolvesCollisionsInOrder() {
        let names = ["image", "image", "score", "image"].map { SwiftSource.memberName($0, fallback: "x") }
        #expect(SwiftSource.uniquedMemberNames(names).map(\.text) == ["image", "image2", "score", "image3"])
        let reserved = ["input", "configuration"].map { SwiftSource.memberName($0, fallback: "x") }
        #expect(SwiftSource.uniquedMemberNames(reserved).map(\.text) == ["input2", "configuration2"])
    }

    /// Issue #20 (1): every Unicode line break ends a `//` comment, so each one starts a new `///` line.
    @Test func docCommentsSplitAtEveryLineBreak() {
        for separator in ["\n", "\r", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\u{0B}", "\u{0C}"] {
            let lines = SwiftSource.docComment("a" + separator + ";undefinedPayloadFunction()").map(\.text)
            #expect(lines == ["/// a", "/// ;undefinedPayloadFunction()"], "\(Array(separator.unicodeScalars))")
        }
        #expect(SwiftSource.docComment("a\n\nb").map(\.text) == ["/// a", "///", "/// b"])
        #expect(SwiftSource.lineComment("x\ry").map(\.text) == ["// x", "// y"])
        #expect(SwiftSource.docComment(nil).isEmpty)
    }

    @Test func docCommentsDropControlFormatAndBidiCharacters() {
        let text = "a\u{0}b\u{7F}c\u{9B}d\u{202E}e\u{2066}f\u{200B}g\u{FEFF}h\u{1B}[31mi\tj"
        #expect(SwiftSource.docComment(text).map(\.text) == ["/// abcdefgh[31mi j"])
    }

    /// Issue #20 (2, 3): file names and texts in string literals.
    @Test func stringLiteralsEscapeEverythingButPrintableASCII() {
        #expect(SwiftSource.stringLiteral("plain.tflite").text == "\"plain.tflite\"")
        #expect(SwiftSource.stringLiteral("my \"best\" model").text == #""my \"best\" model""#)
        #expect(SwiftSource.stringLiteral("model\\v2").text == #""model\\v2""#)
        #expect(SwiftSource.stringLiteral("m\\(f()).tflite").text == #""m\\\u{28}f()).tflite""#)
        #expect(SwiftSource.stringLiteral("a\u{7F}b\u{0}c\nd").text == #""a\u{7F}b\u{0}c\u{A}d""#)
        #expect(SwiftSource.stringLiteral("caf\u{E9} \u{1F600} \u{202E}").text == #""caf\u{E9} \u{1F600} \u{202E}""#)
        #expect(SwiftSource.stringLiteral("\"\"\"").text == #""\"\"\"""#)
        for text in ["\\(", "\\\\(", "\\\\\\(x)", "(\\(\\("] {
            #expect(!SwiftSource.stringLiteral(text).text.contains("\\("), "\(text)")
        }
    }

    @Test func floatsAreAlwaysExpressions() {
        #expect(SwiftSource.float(0.5).text == "0.5")
        #expect(SwiftSource.float(1e-5).text == "1e-05")
        #expect(SwiftSource.float(.nan).text == "Swift.Float.nan")
        #expect(SwiftSource.float(-.infinity).text == "-Swift.Float.infinity")
        let values: [Float] = [1, .infinity]
        let code: SwiftSource = "f(\(values))"
        #expect(code.text == "f([1.0, Swift.Float.infinity])")
    }
}
