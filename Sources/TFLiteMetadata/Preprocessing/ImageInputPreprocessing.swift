/// What an image input's metadata asks of the pixels fed to it, read by one rule for every user:
/// the code generator (the preprocessing a wrapper is generated with) and `tflquant
/// --calibration-images` (the preprocessing of calibration photos), so the two never disagree.
///
/// The rule: the tensor's metadata has `ImageProperties` content with colour space RGB (3
/// channels) or GRAYSCALE (1); the tensor is `[1, height, width, channels]` of float32, uint8 or
/// int8; its normalization is the last `NormalizationOptions` process unit (none: mean 0, std 1),
/// with one value or one per channel for mean and for std, and no std of 0.
package struct ImageInputPreprocessing: Hashable, Sendable {
    /// The colour space of the pixels the input takes.
    package enum ColorSpace: String, Hashable, Sendable {
        case rgb, grayscale

        /// Channels per pixel: 3 or 1.
        package var channels: Int { self == .rgb ? 3 : 1 }
    }

    /// Why an image input's metadata or tensor does not fit the rule; `description` is the
    /// message without the context (the caller names the file and the input).
    package enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case colorSpaceUnknown
        case shape(ColorSpace, [Int])
        case type(TensorType)
        case normalizationCount(field: String, count: Int, channels: Int)
        case zeroStd

        package var description: String {
            switch self {
            case .colorSpaceUnknown:
                "image input with colour space UNKNOWN: set RGB or GRAYSCALE in its ImageProperties"
            case .shape(let space, let shape):
                "\(space == .rgb ? "RGB" : "GRAYSCALE") image input needs shape [1, height, width, \(space.channels)], but the tensor is \(shape)"
            case .type(let type):
                "image input of type \(type) is not supported (float32, uint8 or int8)"
            case .normalizationCount(let field, let count, let channels):
                "normalization \(field) has \(count) values; expected \(channels == 1 ? "1" : "1 or \(channels) (one per channel)")"
            case .zeroStd:
                "normalization std contains 0"
            }
        }
    }

    /// RGB or grayscale.
    package var colorSpace: ColorSpace
    /// The tensor's width and height in pixels.
    package var width: Int
    package var height: Int
    /// `(x − mean) / std`: one value, or one per channel.
    package var mean: [Float]
    package var std: [Float]
    /// Whether the metadata has `NormalizationOptions` (without, mean 0 and std 1 are assumed).
    package var hasNormalization: Bool

    /// Channels per pixel.
    package var channels: Int { colorSpace.channels }

    /// A preprocessing from its parts.
    package init(colorSpace: ColorSpace, width: Int, height: Int, mean: [Float], std: [Float], hasNormalization: Bool) {
        self.colorSpace = colorSpace
        self.width = width
        self.height = height
        self.mean = mean
        self.std = std
        self.hasNormalization = hasNormalization
    }

    /// The preprocessing of the input with `metadata`, `shape` and `type`; nil when the metadata
    /// does not say the input is an image.
    package init?(metadata: TensorMetadata?, shape: [Int], type: TensorType) throws(Problem) {
        guard case .image(let properties)? = metadata?.content?.contentProperties else { return nil }
        switch properties.colorSpace ?? .unknown {
        case .rgb: colorSpace = .rgb
        case .grayscale: colorSpace = .grayscale
        case .unknown: throw .colorSpaceUnknown
        }
        let channels = colorSpace.channels
        guard shape.count == 4, shape[0] == 1, shape[1] > 0, shape[2] > 0, shape[3] == channels else {
            throw .shape(colorSpace, shape)
        }
        guard [.float32, .uint8, .int8].contains(type) else { throw .type(type) }
        var normalization: NormalizationOptions?
        for unit in metadata?.processUnits ?? [] {
            if case .normalization(let options)? = unit.options { normalization = options }
        }
        let mean = normalization?.mean ?? [0], std = normalization?.std ?? [1]
        for (field, values) in [("mean", mean), ("std", std)] where values.count != 1 && values.count != channels {
            throw .normalizationCount(field: field, count: values.count, channels: channels)
        }
        guard !std.contains(0) else { throw .zeroStd }
        height = shape[1]
        width = shape[2]
        self.mean = mean
        self.std = std
        hasNormalization = normalization != nil
    }
}
