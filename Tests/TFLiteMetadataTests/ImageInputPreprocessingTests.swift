import Testing
import TFLiteMetadata

/// The one rule that turns an image input's metadata into its preprocessing (used by the code
/// generator and by `tflquant --calibration-images`).
@Suite struct ImageInputPreprocessingTests {
    static func metadata(_ space: ColorSpaceType?, _ normalizations: [NormalizationOptions]) -> TensorMetadata {
        TensorMetadata(content: Content(contentProperties: .image(ImageProperties(colorSpace: space))),
                       processUnits: normalizations.map { ProcessUnit(options: .normalization($0)) })
    }

    @Test func readsSizeColourSpaceAndTheLastNormalization() throws {
        let rgb = try #require(try ImageInputPreprocessing(
            metadata: Self.metadata(.rgb, [NormalizationOptions(mean: [1], std: [2]), NormalizationOptions(mean: [127.5], std: [127.5])]),
            shape: [1, 24, 32, 3], type: .float32))
        #expect(rgb == ImageInputPreprocessing(colorSpace: .rgb, width: 32, height: 24, mean: [127.5], std: [127.5], hasNormalization: true))
        #expect(rgb.channels == 3)

        let gray = try #require(try ImageInputPreprocessing(metadata: Self.metadata(.grayscale, []), shape: [1, 8, 8, 1], type: .uint8))
        #expect(gray == ImageInputPreprocessing(colorSpace: .grayscale, width: 8, height: 8, mean: [0], std: [1], hasNormalization: false))

        let perChannel = try #require(try ImageInputPreprocessing(
            metadata: Self.metadata(.rgb, [NormalizationOptions(mean: [1, 2, 3], std: [4, 5, 6])]), shape: [1, 2, 2, 3], type: .int8))
        #expect(perChannel.mean == [1, 2, 3] && perChannel.std == [4, 5, 6])

        // Not an image: no rule applies.
        #expect(try ImageInputPreprocessing(metadata: TensorMetadata(name: "x"), shape: [1, 4], type: .float32) == nil)
        #expect(try ImageInputPreprocessing(metadata: nil, shape: [1, 2, 2, 3], type: .float32) == nil)
    }

    @Test(arguments: [
        (ColorSpaceType.unknown, [Int](arrayLiteral: 1, 4, 4, 3), TensorType.float32, [NormalizationOptions](),
         ImageInputPreprocessing.Problem.colorSpaceUnknown,
         "image input with colour space UNKNOWN: set RGB or GRAYSCALE in its ImageProperties"),
        (.grayscale, [1, 32, 32, 3], .float32, [], .shape(.grayscale, [1, 32, 32, 3]),
         "GRAYSCALE image input needs shape [1, height, width, 1], but the tensor is [1, 32, 32, 3]"),
        (.rgb, [2, 4, 4, 3], .float32, [], .shape(.rgb, [2, 4, 4, 3]),
         "RGB image input needs shape [1, height, width, 3], but the tensor is [2, 4, 4, 3]"),
        (.rgb, [1, 0, 4, 3], .float32, [], .shape(.rgb, [1, 0, 4, 3]),
         "RGB image input needs shape [1, height, width, 3], but the tensor is [1, 0, 4, 3]"),
        (.rgb, [1, 4, 4, 3], .int32, [], .type(.int32),
         "image input of type int32 is not supported (float32, uint8 or int8)"),
        (.rgb, [1, 4, 4, 3], .float32, [NormalizationOptions(mean: [1, 2], std: [1])], .normalizationCount(field: "mean", count: 2, channels: 3),
         "normalization mean has 2 values; expected 1 or 3 (one per channel)"),
        (.grayscale, [1, 4, 4, 1], .float32, [NormalizationOptions(mean: [1], std: [])], .normalizationCount(field: "std", count: 0, channels: 1),
         "normalization std has 0 values; expected 1"),
        (.rgb, [1, 4, 4, 3], .float32, [NormalizationOptions(mean: [0], std: [1, 0, 1])], .zeroStd,
         "normalization std contains 0"),
    ])
    func refusesWhatNoWrapperCouldFeed(space: ColorSpaceType, shape: [Int], type: TensorType, units: [NormalizationOptions],
                                       problem: ImageInputPreprocessing.Problem, message: String) {
        #expect(throws: problem) { try ImageInputPreprocessing(metadata: Self.metadata(space, units), shape: shape, type: type) }
        #expect(problem.description == message)
    }
}
