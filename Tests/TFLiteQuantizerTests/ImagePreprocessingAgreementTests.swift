import Foundation
import Testing
import TestSupport
import TFLiteImageIO
import TFLiteMetadata
import TFLiteModel
import TFLiteQuantizer
@_spi(GeneratedCode) import TFLiteRuntime

/// The code generator and `--calibration-images` read an image input's metadata through one rule
/// (`ImageInputPreprocessing`): for the same model, the preprocessor a generated wrapper is built
/// with gives exactly the calibration samples' bytes, and metadata the rule refuses is refused by
/// both with the same words.
@Suite struct ImagePreprocessingAgreementTests {
    static let model = Fixtures.url("metadata/image_classifier_float/model.tflite")
    static let images = Fixtures.url("quantizer/calibration_images")

    /// The fixture model with its input's metadata edited (written with `force`, as `tflmeta
    /// populate --force` would, so that metadata the wrappers refuse can be written).
    static func variant(_ name: String, in directory: URL, _ edit: (inout TensorMetadata) -> Void) throws -> URL {
        let input = try ModelFile(contentsOf: model.path)
        var metadata = try #require(try input.metadata())
        var tensor = try #require(metadata.subgraphMetadata?.first?.inputTensorMetadata?.first)
        edit(&tensor)
        metadata.subgraphMetadata?[0].inputTensorMetadata?[0] = tensor
        let (resolved, packed, _) = try MetadataRecipe(spec: metadata, files: []).resolve(for: input)
        let output = directory.appending(path: "\(name).tflite")
        try MetadataPopulator.populate(input, metadata: resolved, files: packed, to: output.path, options: PopulateOptions(force: true))
        return output
    }

    static func normalization(_ mean: [Float], _ std: [Float]) -> [ProcessUnit] {
        [ProcessUnit(options: .normalization(NormalizationOptions(mean: mean, std: std)))]
    }

    /// The `ImagePreprocessor(…)` a generated wrapper holds, read back from its source.
    static func generatedPreprocessor(_ source: String) throws -> ImagePreprocessor {
        let match = try #require(source.firstMatch(of: /ImagePreprocessor\(colorSpace: \.(\w+), mean: \[([^\]]*)\], std: \[([^\]]*)\]\)/))
        let floats = { (text: Substring) in text.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) } }
        let space = try #require(ImagePreprocessor.ColorSpace(rawValue: String(match.1)))
        return ImagePreprocessor(colorSpace: space, mean: floats(match.2), std: floats(match.3))
    }

    @Test(arguments: [
        ("as populated", normalization([127.5], [127.5])),
        ("per channel", normalization([123.675, 116.28, 103.53], [58.395, 57.12, 57.375])),
        ("none", [ProcessUnit]()),
    ])
    func wrapperAndCalibrationPreprocessIdentically(name: String, units: [ProcessUnit]) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.variant("Variant", in: directory) { $0.processUnits = units }

        let generated = directory.appending(path: "generated")
        let run = try CommandRunner.run("tflcodegen", [path.path, "-o", generated.path])
        #expect(run.status == 0, "\(run.stderr)")
        let swift = try #require(try FileManager.default.contentsOfDirectory(atPath: generated.path).first { $0.hasSuffix(".swift") })
        let preprocessor = try Self.generatedPreprocessor(String(contentsOf: generated.appending(path: swift), encoding: .utf8))

        let samples = try CalibrationSamples(imageDirectory: Self.images.path, model: Model(contentsOf: path.path))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.images.path).sorted()
        #expect(samples.count == files.count && files.count >= 6)
        for (index, file) in files.enumerated() {
            let image = try TensorImage(contentsOf: Self.images.appending(path: file))
            let values = preprocessor.normalizedValues(image, width: 32, height: 32, channels: 3)
            let bytes = values.withUnsafeBufferPointer { Data(buffer: $0) }
            #expect(try samples.data(input: 0, sample: index) == bytes, "\(name): \(file)")
        }
    }

    /// Metadata the rule refuses, and the words both tools must say.
    enum Refused: String, CaseIterable, Sendable {
        case meanCount, grayscaleOnRGB, unknownColourSpace

        func edit(_ tensor: inout TensorMetadata) {
            switch self {
            case .meanCount: tensor.processUnits = normalization([1, 2], [1])
            case .grayscaleOnRGB: tensor.content = Content(contentProperties: .image(ImageProperties(colorSpace: .grayscale)))
            case .unknownColourSpace: tensor.content = Content(contentProperties: .image(ImageProperties(colorSpace: .unknown)))
            }
        }

        var message: String {
            switch self {
            case .meanCount: "normalization mean has 2 values; expected 1 or 3 (one per channel)"
            case .grayscaleOnRGB: "GRAYSCALE image input needs shape [1, height, width, 1], but the tensor is [1, 32, 32, 3]"
            case .unknownColourSpace: "image input with colour space UNKNOWN: set RGB or GRAYSCALE in its ImageProperties"
            }
        }
    }

    @Test(arguments: Refused.allCases)
    func bothRefuseWhatTheRuleRefuses(_ refused: Refused) throws {
        let name = refused.rawValue, message = refused.message
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.variant("Bad", in: directory, refused.edit)

        let run = try CommandRunner.run("tflcodegen", [path.path, "-o", directory.appending(path: "generated").path, "--strict-metadata"])
        #expect(run.status != 0, "\(name)")
        #expect(run.stderr.contains(message), "\(name): \(run.stderr)")

        #expect {
            _ = try CalibrationSamples(imageDirectory: Self.images.path, model: Model(contentsOf: path.path))
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains(path.path)
        }
    }
}
