import Foundation
import Testing
import TestSupport
@testable import TFLiteMetadata

/// Presets on the metadata-free copies of the fixtures give exactly the JSON and files
/// tflite-support's writers gave (the fixtures' metadata.json and files.txt).
@Suite struct TaskPresetTests {
    typealias P = PopulateFixtures

    struct Case: CustomTestStringConvertible, Sendable {
        var fixture: String
        var preset: TaskPreset
        var options: @Sendable (URL) -> MetadataOptions
        var testDescription: String { "\(preset.rawValue) on \(fixture)" }
    }

    static func file(_ directory: URL, _ name: String) -> String { directory.appending(path: "files/\(name)").path }

    static let cases: [Case] = [
        Case(fixture: "image_classifier_float", preset: .imageClassifier) { d in
            MetadataOptions(mean: [127.5], std: [127.5], labels: [.init(path: file(d, "labels.txt"))])
        },
        Case(fixture: "image_classifier_int8", preset: .imageClassifier) { d in
            MetadataOptions(mean: [0], std: [1], labels: [.init(path: file(d, "labels.txt"))])
        },
        Case(fixture: "image_classifier_calibrated", preset: .imageClassifier) { d in
            MetadataOptions(
                name: "Tiny flower classifier",
                description: "Calibrated image classifier fixture with English and French labels.",
                version: "v2", author: "Fixture Authors",
                license: "Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0.",
                outputDescription: "Calibrated probabilities of the labels.",
                mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375],
                labels: [.init(path: file(d, "labels.txt"), locale: "en"), .init(path: file(d, "labels_fr.txt"), locale: "fr")],
                scoreCalibration: .init(path: file(d, "score_calibration.txt"), transformation: .inverseLogistic, defaultScore: 0.2))
        },
        Case(fixture: "object_detector", preset: .objectDetector) { d in
            MetadataOptions(mean: [127.5], std: [127.5], labels: [.init(path: file(d, "labelmap.txt"))])
        },
        Case(fixture: "image_segmenter", preset: .imageSegmenter) { d in
            MetadataOptions(mean: [127.5], std: [127.5], labels: [.init(path: file(d, "labels.txt"))])
        },
        Case(fixture: "person_segmenter", preset: .imageSegmenter) { d in
            MetadataOptions(mean: [127.5], std: [127.5], labels: [.init(path: file(d, "labels.txt"))])
        },
        Case(fixture: "nl_classifier", preset: .nlClassifier) { d in
            MetadataOptions(labels: [.init(path: file(d, "labels.txt"))], vocab: file(d, "vocab.txt"))
        },
        Case(fixture: "bert_nl_classifier", preset: .bertNLClassifier) { d in
            MetadataOptions(labels: [.init(path: file(d, "labels.txt"))], vocab: file(d, "vocab.txt"))
        },
        Case(fixture: "bert_nl_classifier_sentencepiece", preset: .bertNLClassifier) { d in
            MetadataOptions(labels: [.init(path: file(d, "labels.txt"))], vocab: file(d, "sp.vocab"), sentencePieceModel: file(d, "sp.model"))
        },
        Case(fixture: "audio_classifier", preset: .audioClassifier) { d in
            MetadataOptions(labels: [.init(path: file(d, "labels.txt"))], sampleRate: 16000, channels: 1)
        },
    ]

    @Test(arguments: cases)
    func presetGivesTheWritersJSON(_ testCase: Case) throws {
        let directory = Fixtures.url("metadata/\(testCase.fixture)")
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = try ModelFile(contentsOf: P.plain(testCase.fixture))
        let recipe = MetadataRecipe(preset: testCase.preset, options: testCase.options(directory))
        let (metadata, files, _) = try recipe.resolve(for: input)
        let output = temporary.appending(path: "out.tflite").path
        try MetadataPopulator.populate(input, metadata: metadata, files: files, to: output)

        let written = try ModelFile(contentsOf: output)
        let expected = try String(contentsOf: directory.appending(path: "metadata.json"), encoding: .utf8)
        let json = try #require(try written.metadataJSON())
        if json != expected { Issue.record("JSON differs:\n\(lineDiff(json, expected))") }
        let names = try String(contentsOf: directory.appending(path: "files.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written.associatedFiles.names == names, "same files in the same order")
        try P.expectSameModel(P.plain(testCase.fixture), output)
    }

    @Test func floatStatsArePerChannelNormalizedPixelRanges() {
        let stats = WriterBlocks.imageStats(type: .float32, mean: [127.5, 0], std: [127.5, 255])
        #expect(stats?.min == [-1, 0])
        #expect(stats?.max == [1, 1])
        #expect(WriterBlocks.imageStats(type: .uint8, mean: [127.5], std: [127.5])?.max == [255])
        #expect(WriterBlocks.imageStats(type: .int8, mean: [0], std: [1]) == nil, "as tflite-support: no stats for other types")
    }

    @Test func missingFlagsAreNamed() throws {
        let input = try ModelFile(contentsOf: P.plain("image_classifier_float"))
        let expectations: [(TaskPreset, MetadataOptions, String)] = [
            (.imageClassifier, MetadataOptions(), "--mean and --std"),
            (.imageClassifier, MetadataOptions(mean: [1, 2], std: [1]), "--mean has 2 values"),
            (.audioClassifier, MetadataOptions(sampleRate: 16000), "--sample-rate and --channels"),
            (.imageClassifier, MetadataOptions(mean: [1], std: [1], vocab: "v.txt"), "--vocab is not used"),
        ]
        for (preset, options, message) in expectations {
            do {
                _ = try preset.build(for: input.model, options: options)
                Issue.record("\(preset.rawValue) accepted \(options)")
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }

    @Test func theModelMustFitTheTask() throws {
        let classifier = try Model(contentsOf: P.plain("image_classifier_float"))
        #expect(throws: PresetError.self) { try TaskPreset.objectDetector.build(for: classifier, options: MetadataOptions(mean: [0], std: [1])) }
        #expect(throws: PresetError.self) { try TaskPreset.bertNLClassifier.build(for: classifier, options: MetadataOptions(vocab: "v")) }
        let nl = try Model(contentsOf: P.plain("nl_classifier"))
        #expect(throws: PresetError.self) { try TaskPreset.nlClassifier.build(for: nl, options: MetadataOptions()) }
    }

    @Test func bertInputsAreFoundByName() throws {
        let names = ["serving_default_ids:0", "serving_default_segment_ids:0", "serving_default_mask:0"]
        let roles = try BertNLClassifierPreset.assignRoles(names, MetadataOptions())
        #expect(roles["serving_default_ids:0"] == .ids)
        #expect(roles["serving_default_mask:0"] == .mask)
        #expect(roles["serving_default_segment_ids:0"] == .segment)
        let writerDefaults = ["serving_default_input_word_ids:0", "serving_default_input_mask:0", "serving_default_input_type_ids:0"]
        #expect(try BertNLClassifierPreset.assignRoles(writerDefaults, MetadataOptions())["serving_default_input_type_ids:0"] == .segment)
        let explicit = MetadataOptions(idsName: "a", maskName: "b", segmentName: "c")
        #expect(try BertNLClassifierPreset.assignRoles(["c", "a", "b"], explicit) == ["a": .ids, "b": .mask, "c": .segment])
        #expect(throws: PresetError.self) { try BertNLClassifierPreset.assignRoles(["x", "y", "z"], MetadataOptions()) }
        #expect(throws: PresetError.self) { try BertNLClassifierPreset.assignRoles(names, MetadataOptions(idsName: "nope")) }
    }

    @Test func flagsEditTheModelsOwnMetadata() throws {
        let input = try ModelFile(contentsOf: Fixtures.url("metadata/image_classifier_float/model.tflite").path)
        let temporary = try P.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let french = temporary.appending(path: "labels_fr.txt")
        try Data("a\nb\nc\nd\ne\n".utf8).write(to: french)
        let options = MetadataOptions(name: "Edited", author: "Me", mean: [0], std: [255],
                                      labels: [.init(path: french.path, locale: "fr")])
        let (metadata, files, notes) = try MetadataRecipe(options: options).resolve(for: input)
        #expect(metadata.name == "Edited")
        #expect(metadata.author == "Me")
        let image = try #require(metadata.subgraphMetadata?[0].inputTensorMetadata?[0])
        #expect(image.processUnits == [ProcessUnit(options: .normalization(NormalizationOptions(mean: [0], std: [255])))])
        #expect(image.stats == Stats(max: [1], min: [0]))
        let output = try #require(metadata.subgraphMetadata?[0].outputTensorMetadata?[0])
        #expect(output.associatedFiles?.map(\.name) == ["labels_fr.txt"])
        #expect(output.associatedFiles?.first?.locale == "fr")
        #expect(files.map(\.name) == ["labels_fr.txt"], "labels.txt is no longer named, so it is not kept")
        #expect(notes.isEmpty)
    }

    @Test func flagsAloneOnAModelWithoutMetadataStartFromTheTensors() throws {
        let input = try ModelFile(contentsOf: P.plain("plain_float"))
        let (metadata, _, _) = try MetadataRecipe(options: MetadataOptions(name: "Plain", colorSpace: .rgb)).resolve(for: input)
        #expect(metadata.name == "Plain")
        #expect(metadata.subgraphMetadata?[0].inputTensorMetadata?.map(\.name) == ["serving_default_image:0"])
        #expect(metadata.subgraphMetadata?[0].outputTensorMetadata?.map(\.name) == ["StatefulPartitionedCall:0"])
        #expect(metadata.subgraphMetadata?[0].inputTensorMetadata?[0].content?.contentProperties == .image(ImageProperties(colorSpace: .rgb)))
    }

    @Test func presetAndSpecDoNotMix() throws {
        let input = try ModelFile(contentsOf: P.plain("plain_float"))
        #expect(throws: PopulateError.self) {
            try MetadataRecipe(spec: ModelMetadata(), preset: .imageClassifier, options: MetadataOptions(mean: [0], std: [1])).resolve(for: input)
        }
    }

    /// Lines that differ, for failure messages.
    func lineDiff(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? String(left[index]) : "<none>"
            let y = index < right.count ? String(right[index]) : "<none>"
            if x != y { out.append("line \(index + 1):\n  got      \(x)\n  expected \(y)") }
            if out.count > 10 { break }
        }
        return out.joined(separator: "\n")
    }
}
