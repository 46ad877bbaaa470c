import TFLiteModel

/// What a generated wrapper knows from metadata about an image input, and the steps that turn a
/// `TensorImage` into the tensor: resize to the tensor's H × W (bilinear, half-pixel centres),
/// colour space (RGB or GRAYSCALE), `(x − mean) / std` per channel, then quantize or cast.
@_spi(GeneratedCode) public struct ImagePreprocessor: Sendable, Hashable {
    @_spi(GeneratedCode) public enum ColorSpace: String, Sendable, Hashable { case rgb, grayscale }

    @_spi(GeneratedCode) public var colorSpace: ColorSpace
    /// One value, or one per channel.
    @_spi(GeneratedCode) public var mean: [Float]
    @_spi(GeneratedCode) public var std: [Float]

    @_spi(GeneratedCode) public init(colorSpace: ColorSpace, mean: [Float] = [0], std: [Float] = [1]) {
        self.colorSpace = colorSpace
        self.mean = mean.isEmpty ? [0] : mean
        self.std = std.isEmpty ? [1] : std
    }

    /// The tensor's values for `image` at `width` × `height` with `channels` channels, before
    /// quantization.
    @_spi(GeneratedCode) public func normalizedValues(_ image: TensorImage, width: Int, height: Int, channels: Int) -> [Float] {
        let source = image.channelValues(channels: channels)
        let resized = ImagePreprocessor.resizeBilinear(source, width: image.width, height: image.height,
                                                       channels: channels, toWidth: width, toHeight: height)
        var out = resized
        for i in out.indices {
            let c = i % channels
            let m = mean.count == 1 ? mean[0] : mean[c]
            let s = std.count == 1 ? std[0] : std[c]
            out[i] = (out[i] - m) / s
        }
        return out
    }

    /// Writes `image` into input `index` of `interpreter` (shape `[1, H, W, C]`).
    @_spi(GeneratedCode) public func write(_ image: TensorImage, into interpreter: Interpreter, inputAt index: Int, name: String) throws {
        let info = try interpreter.inputTensor(at: index)
        let shape = info.shape
        guard shape.count == 4, shape[0] == 1 else {
            throw ModelWrapperError.invalidInput(name: name, reason: "image tensor has shape \(shape), expected [1, height, width, channels]")
        }
        let channels = shape[3]
        guard channels == (colorSpace == .rgb ? 3 : 1) else {
            throw ModelWrapperError.invalidInput(name: name, reason: "\(colorSpace.rawValue) image into a tensor with \(channels) channels")
        }
        let values = normalizedValues(image, width: shape[2], height: shape[1], channels: channels)
        try interpreter.writeFeatures(values, toInputAt: index, name: name)
    }

    /// Bilinear resize of interleaved `channels`-channel values, with half-pixel centres (as
    /// TensorFlow's `resize_bilinear(half_pixel_centers=True)` and OpenCV); a copy when the size
    /// already matches.
    @_spi(GeneratedCode) public static func resizeBilinear(_ values: [Float], width: Int, height: Int, channels: Int,
                                      toWidth: Int, toHeight: Int) -> [Float] {
        if width == toWidth && height == toHeight { return values }
        var out = [Float](repeating: 0, count: toWidth * toHeight * channels)
        let xScale = Float(width) / Float(toWidth)
        let yScale = Float(height) / Float(toHeight)
        for y in 0..<toHeight {
            let sy = max(0, (Float(y) + 0.5) * yScale - 0.5)
            let y0 = min(Int(sy), height - 1)
            let y1 = min(y0 + 1, height - 1)
            let fy = sy - Float(y0)
            for x in 0..<toWidth {
                let sx = max(0, (Float(x) + 0.5) * xScale - 0.5)
                let x0 = min(Int(sx), width - 1)
                let x1 = min(x0 + 1, width - 1)
                let fx = sx - Float(x0)
                for c in 0..<channels {
                    let a = values[(y0 * width + x0) * channels + c]
                    let b = values[(y0 * width + x1) * channels + c]
                    let d = values[(y1 * width + x0) * channels + c]
                    let e = values[(y1 * width + x1) * channels + c]
                    let top = a + (b - a) * fx
                    let bottom = d + (e - d) * fx
                    out[(y * toWidth + x) * channels + c] = top + (bottom - top) * fy
                }
            }
        }
        return out
    }
}
