import Foundation
import Testing
import TestSupport
import TFLiteMetadata
import TFLiteModel
@testable import TFLiteCodegen

/// Security issue #20: no model text may ever become code. Adversarial strings in every field a
/// model can carry (metadata, packed file names and labels, graph tensor names, the file name)
/// → generate → re-lex → type-check every wrapper against the built TFLiteRuntime. All must
/// compile, and a payload calling an undefined function must never become live.
@Suite struct AdversarialGenerationTests {
    typealias Info = ParsedModel.TensorInfo

    static let marker = "undefinedPayloadFunction"

    /// Strings that broke out of comments or literals, or made the wrapper not compile.
    static let payloads: [String] = {
        var list: [String] = []
        for separator in ["\n", "\r", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\u{0B}", "\u{0C}"] {
            list.append(separator + ";\(marker)()" + separator)
            list.append("x" + separator + "\(marker)() //")
            list.append("a" + separator + "}; \(marker)(); struct Z {")
        }
        list += [
            "\"); \(marker)(); (\"", "\\(\(marker)())", "\\\\(\(marker)())", "\\\\\\(\(marker)())",
            "*/ \(marker)() /*", "\"\"\"\n\(marker)()\n\"\"\"", "#if true\n\(marker)()\n#endif", "#endif", "#if false",
            "a\u{7F}b", "nul\u{0}nul", "\u{1B}[2J", "\u{202E}evil\u{202C}", "\u{2066}x\u{2069}", "\u{FEFF}bom", "\u{200B}",
            "\t\(marker)()", "`\(marker)`", "my \"best\" model", "model\\v2", "\\", "\"",
            "self", "Self", "Any", "init", "class", "Type", "Protocol", "default", "in", "_", "$0",
            "Task", "String", "Float", "Int", "URL", "Bundle", "Category", "TensorImage", "Interpreter", "ModelRunner",
            "TFLiteRuntime", "Foundation", "Swift", "Sendable", "Configuration", "_Concurrency", "Detection", "Dispatch",
            "ShapedArray", "Classifier", "Version", "_GeneratedWithTFLCodegenVersion",
            String(repeating: "long text \\( \" \n", count: 300), "", " ", "é", "模型", "😀", "1", "3d",
        ]
        return list
    }()

    /// Payload choices from TestSupport's SplitMix64: deterministic across platforms.
    struct Seeded {
        private var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func payload() -> String { AdversarialGenerationTests.payloads[int(AdversarialGenerationTests.payloads.count)] }
        /// A payload that is not a line of a label file (no line breaks).
        mutating func label() -> String {
            String(String.UnicodeScalarView(payload().unicodeScalars.filter { !SwiftSource.isLineBreak($0) }))
        }
    }

    /// One in-memory model of `kind` with payloads everywhere; file names of packed files are
    /// made distinct.
    static func model(kind: Int, index: Int, random: inout Seeded) -> ParsedModel {
        func name() -> String { random.payload() }
        func file(_ role: String) -> String { random.payload() + " \(role) \(index).txt" }
        func labels(_ count: Int) -> String { (0..<count).map { "L\($0) " + random.label() }.joined(separator: "\n") + "\n" }
        func labelFiles(_ count: Int, type: AssociatedFileType, packed: inout [String: String]) -> [AssociatedFile] {
            (0..<2).map { i in
                let fileName = file("labels\(i)")
                packed[fileName] = labels(count)
                return AssociatedFile(name: fileName, description: name(), type: type, locale: i == 0 ? nil : name())
            }
        }
        let image = TensorMetadata(name: name(), description: name(),
                                   content: Content(contentProperties: .image(ImageProperties(colorSpace: .rgb))),
                                   processUnits: [ProcessUnit(options: .normalization(NormalizationOptions(mean: [127.5, .nan, 0], std: [.infinity])))])
        let imageInfo = Info(name: name(), type: .float32, shape: [1, 8, 8, 3], isQuantized: false)
        var packed: [String: String] = [:]
        var inputs: [Info] = [], outputs: [Info] = []
        var inputMeta: [TensorMetadata] = [], outputMeta: [TensorMetadata] = []
        var inputUnits: [ProcessUnit]?
        var groups: [TensorGroup]?
        var hasMetadata = true
        switch kind {
        case 0: // image classifier, two locales, threshold, calibration
            inputs = [imageInfo]
            inputMeta = [image]
            outputs = [Info(name: name(), type: .uint8, shape: [1, 3], isQuantized: true, scale: 0.1, zeroPoint: 0)]
            let calibration = file("calibration")
            packed[calibration] = "1,1,0\n1,1,0\n1,1,0\n"
            outputMeta = [TensorMetadata(name: name(), description: name(), content: Content(contentProperties: .feature(FeatureProperties())),
                                         processUnits: [ProcessUnit(options: .scoreThresholding(ScoreThresholdingOptions(globalScoreThreshold: .nan))),
                                                        ProcessUnit(options: .scoreCalibration(ScoreCalibrationOptions(scoreTransformation: .log, defaultScore: -.infinity)))],
                                         associatedFiles: labelFiles(3, type: .tensorAxisLabels, packed: &packed)
                                             + [AssociatedFile(name: calibration, type: .tensorAxisScoreCalibration)])]
        case 1: // regex tokenizer
            let vocab = file("vocab")
            packed[vocab] = "<PAD> 0\n<START> 1\n<UNKNOWN> 2\n"
            inputs = [Info(name: name(), type: .int32, shape: [1, 16], isQuantized: false)]
            inputMeta = [TensorMetadata(name: name(), description: name(),
                                        processUnits: [ProcessUnit(options: .regexTokenizer(RegexTokenizerOptions(delimRegexPattern: name(), vocabFile: [AssociatedFile(name: vocab, type: .vocabulary)])))])]
            outputs = [Info(name: name(), type: .float32, shape: [1, 2], isQuantized: false)]
            outputMeta = [TensorMetadata(name: name(), content: Content(contentProperties: .feature(FeatureProperties())),
                                         associatedFiles: labelFiles(2, type: .tensorAxisLabels, packed: &packed))]
        case 2: // detection
            inputs = [imageInfo]
            inputMeta = [image]
            let names = (0..<4).map { i in name() + " \(index) \(i)" }
            outputs = [Info(name: name(), type: .float32, shape: [1, 5, 4], isQuantized: false),
                       Info(name: name(), type: .float32, shape: [1, 5], isQuantized: false),
                       Info(name: name(), type: .float32, shape: [1, 5], isQuantized: false),
                       Info(name: name(), type: .float32, shape: [1], isQuantized: false)]
            outputMeta = [TensorMetadata(name: names[0], description: name(), content: Content(contentProperties: .boundingBox(BoundingBoxProperties(index: [1, 0, 3, 2], type: .boundaries)))),
                          TensorMetadata(name: names[1], associatedFiles: labelFiles(5, type: .tensorValueLabels, packed: &packed)),
                          TensorMetadata(name: names[2], description: name()),
                          TensorMetadata(name: names[3], description: name())]
            groups = [TensorGroup(name: name(), tensorNames: [names[0], names[1], names[2]])]
        case 3: // segmentation
            inputs = [imageInfo]
            inputMeta = [image]
            outputs = [Info(name: name(), type: .float32, shape: [1, 4, 4, 3], isQuantized: false)]
            outputMeta = [TensorMetadata(name: name(), description: name(), content: Content(contentProperties: .image(ImageProperties(colorSpace: .grayscale))),
                                         associatedFiles: labelFiles(3, type: .tensorAxisLabels, packed: &packed))]
        case 4: // audio in, raw values out
            inputs = [Info(name: name(), type: .float32, shape: [1, 160], isQuantized: false)]
            inputMeta = [TensorMetadata(name: name(), description: name(), content: Content(contentProperties: .audio(AudioProperties(sampleRate: 16000, channels: 1))))]
            outputs = [Info(name: name(), type: .int32, shape: [1, 4], isQuantized: false), Info(name: name(), type: .int64, shape: [2], isQuantized: false)]
            outputMeta = [TensorMetadata(name: name(), description: name()), TensorMetadata(name: name(), description: name())]
        case 5: // BERT
            let vocab = file("vocab")
            packed[vocab] = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n"
            inputs = (0..<3).map { _ in Info(name: name(), type: .int32, shape: [1, 8], isQuantized: false) }
            inputMeta = (0..<3).map { _ in TensorMetadata(name: name(), description: name()) }
            inputUnits = [ProcessUnit(options: .bertTokenizer(BertTokenizerOptions(vocabFile: [AssociatedFile(name: vocab, type: .vocabulary)])))]
            outputs = [Info(name: name(), type: .float32, shape: [1, 2], isQuantized: false)]
            outputMeta = [TensorMetadata(name: name(), content: Content(contentProperties: .feature(FeatureProperties())),
                                         associatedFiles: labelFiles(2, type: .tensorAxisLabels, packed: &packed))]
        default: // no metadata: the graph's own tensor names
            hasMetadata = false
            inputs = [Info(name: name(), type: .float32, shape: [1, 4], isQuantized: false), Info(name: name(), type: .int32, shape: [2], isQuantized: false)]
            outputs = [Info(name: name(), type: .float32, shape: [1, 3], isQuantized: false), Info(name: name(), type: .bool, shape: [3], isQuantized: false)]
        }
        let subgraph = SubGraphMetadata(name: name(), description: name(), inputTensorMetadata: inputMeta, outputTensorMetadata: outputMeta,
                                        inputProcessUnits: inputUnits, outputTensorGroups: groups)
        let metadata = ModelMetadata(name: name(), description: name(), version: name(), subgraphMetadata: [subgraph],
                                     author: name(), license: name())
        return ParsedModel(fileName: name() + ".tflite", inputs: inputs, outputs: outputs,
                           metadata: hasMetadata ? metadata : nil, packedTexts: packed)
    }

    /// Problems in one generated file: the re-lexer's, and the marker called outside comments
    /// and literals.
    static func problems(in source: String) -> [String] {
        var problems: [String] = []
        let lines = GeneratedCodeCheck.lex(source, problems: &problems)
        for line in lines where line.code.contains(marker + "(") || line.code.contains(marker + " (") {
            problems.append("line \(line.number): the payload is live: \(line.code)")
        }
        return problems
    }

    /// Splits wrappers into batches where no two declare the same type.
    static func batches(_ files: [GeneratedFiles]) -> [[GeneratedFiles]] {
        var batches: [[GeneratedFiles]] = []
        var names: [Set<String>] = []
        for file in files {
            if let i = names.firstIndex(where: { !$0.contains(file.className) }) {
                batches[i].append(file)
                names[i].insert(file.className)
            } else {
                batches.append([file])
                names.append([file.className])
            }
        }
        return batches
    }

    /// Every generated wrapper: seeded in-memory models of every kind, plus one model named
    /// after each payload (the class name path).
    static func generateAll() throws -> [GeneratedFiles] {
        var random = Seeded(state: 20)
        var files: [GeneratedFiles] = []
        var models: [ParsedModel] = []
        for index in 0..<70 { models.append(model(kind: index % 7, index: index, random: &random)) }
        for (index, payload) in payloads.enumerated() {
            var model = model(kind: index % 7, index: 1000 + index, random: &random)
            if model.metadata != nil { model.metadata?.name = payload } else { model.fileName = payload + ".tflite" }
            models.append(model)
        }
        for (index, model) in models.enumerated() {
            var diagnostics = Diagnostics()
            let configuration = GeneratorConfiguration(modelPath: "adversarial-\(index).tflite", accessModifier: index % 2 == 0 ? .public : .internal)
            do {
                files.append(try GeneratorPipeline(configuration: configuration).run(model, diagnostics: &diagnostics))
            } catch {
                Issue.record("model \(index) (kind \(index % 7)) did not generate: \(error)")
            }
        }
        return files
    }

    @Test func adversarialTextNeverLeavesCommentsOrLiterals() throws {
        let files = try Self.generateAll()
        #expect(files.count == 70 + Self.payloads.count)
        for file in files {
            let problems = Self.problems(in: file.swiftSource)
            #expect(problems.isEmpty, "\(file.className): \(problems.prefix(5))")
        }
    }

    @Test(.enabled(if: WrapperTypecheck.available, "needs the built TFLiteRuntime module"))
    func adversarialWrappersCompile() throws {
        let files = try Self.generateAll()
        for batch in Self.batches(files) {
            let result = try WrapperTypecheck.typecheck(batch.map { ($0.swiftFileName, $0.swiftSource) })
            #expect(result.status == 0, "\(result.errors.prefix(4000))")
            #expect(!result.errors.contains(Self.marker))
        }
    }

    /// The file-name path through a real model file: `tflcodegen`'s reading path.
    @Test(.enabled(if: WrapperTypecheck.available, "needs the built TFLiteRuntime module"))
    func adversarialFileNamesCompile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = ["m\\(\(Self.marker)()).tflite", "my \"best\" model.tflite", "model\\v2.tflite", "a\n;\(Self.marker)();\n.tflite",
                     "b\r;\(Self.marker)();\r.tflite", "c\u{2028};\(Self.marker)();.tflite", "\"\"\".tflite", "#if X.tflite",
                     "del\u{7F}.tflite", "Task.tflite", "Self.tflite", "TFLiteRuntime.tflite", "self.tflite", "\u{202E}gpj.tflite",
                     "*\\ x.tflite", String(repeating: "long name ", count: 20) + ".tflite"]
        var files: [GeneratedFiles] = []
        for (index, name) in names.enumerated() {
            let model = index % 2 == 0 ? "PlainFloat" : "ImageClassifierFloat"
            let path = directory.appending(path: name).path
            try FileManager.default.copyItem(atPath: Fixtures.url("codegen/models/\(model).tflite").path, toPath: path)
            var diagnostics = Diagnostics()
            let generated = try GeneratorPipeline(configuration: .init(modelPath: path)).run(diagnostics: &diagnostics)
            #expect(Self.problems(in: generated.swiftSource).isEmpty, "\(name)")
            files.append(generated)
        }
        for batch in Self.batches(files) {
            let result = try WrapperTypecheck.typecheck(batch.map { ($0.swiftFileName, $0.swiftSource) })
            #expect(result.status == 0, "\(result.errors.prefix(4000))")
        }
    }

    /// Issue #20 (7): 3,000 inputs and outputs gave a wrapper that did not compile in 300 s;
    /// above 64 the wrapper takes and returns tensor arrays. 64 still gets a property each.
    @Test(.enabled(if: WrapperTypecheck.available, "needs the built TFLiteRuntime module"))
    func manyTensorsCompileQuickly() throws {
        var files: [GeneratedFiles] = []
        for (count, name) in [(3000, "Many"), (WrapperTranslator.tensorArrayThreshold, "Boundary")] {
            let inputs = (0..<count).map { Info(name: "in\($0)\n;\(Self.marker)()", type: $0 % 2 == 0 ? .float32 : .int32, shape: [1, 2], isQuantized: false) }
            let outputs = (0..<count).map { Info(name: "out\($0)", type: $0 % 2 == 0 ? .float32 : .uint8, shape: [2], isQuantized: $0 % 2 == 1, scale: 0.5, zeroPoint: 1) }
            let model = ParsedModel(fileName: "\(name).tflite", inputs: inputs, outputs: outputs, metadata: nil, packedTexts: [:])
            var diagnostics = Diagnostics()
            let generated = try GeneratorPipeline(configuration: .init(modelPath: "\(name).tflite")).run(model, diagnostics: &diagnostics)
            #expect(Self.problems(in: generated.swiftSource).isEmpty)
            files.append(generated)
        }
        let many = files[0].swiftSource
        #expect(many.contains("public var inputTensors: [[Swift.Float]]"))
        #expect(many.contains("public var outputTensors: [TFLiteRuntime.ShapedArray<Swift.Float>]"))
        #expect(many.utf8.count < 40_000, "\(many.utf8.count) bytes")
        #expect(!files[1].swiftSource.contains("Tensors:"))
        let result = try WrapperTypecheck.typecheck(files.map { ($0.swiftFileName, $0.swiftSource) })
        #expect(result.status == 0, "\(result.errors.prefix(4000))")
        #expect(result.seconds < 60, "type-checking took \(result.seconds) s")
    }

    /// Templates receive no `String`: every value in the view model is SwiftSource, MarkdownText,
    /// a number or a flag.
    @Test func viewModelHoldsNoRawStrings() throws {
        var random = Seeded(state: 7)
        for kind in 0..<7 {
            let model = Self.model(kind: kind, index: kind, random: &random)
            var diagnostics = Diagnostics()
            let viewModel = try WrapperTranslator(configuration: .init(modelPath: "x.tflite")).translate(model, diagnostics: &diagnostics)
            var strings: [String] = []
            func walk(_ value: Any, _ path: String) {
                if value is String || value is Substring { strings.append(path); return }
                if value is SwiftSource || value is MarkdownText { return }
                for child in Mirror(reflecting: value).children { walk(child.value, path + "." + (child.label ?? "[]")) }
            }
            walk(viewModel, "viewModel")
            #expect(strings.isEmpty, "kind \(kind): \(strings)")
        }
    }
}
