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
    /// quantization: turned upright, cropped and fitted as the image says (``TensorImage/transform(toWidth:height:)``),
    /// bilinear with half-pixel centres inside the crop (as cropping then resizing), letterbox
    /// padding filled with the fit's pixel value, then normalized.
    @_spi(GeneratedCode) public func normalizedValues(_ image: TensorImage, width: Int, height: Int, channels: Int) -> [Float] {
        let transform = image.transform(toWidth: width, height: height)
        var fill: Float = 0
        if case .letterbox(let value) = image.fit { fill = Float(value) }
        var out = ImagePreprocessor.sample(image, transform: transform, channels: channels, fill: fill)
        for i in out.indices {
            let c = i % channels
            let m = mean.count == 1 ? mean[0] : mean[c]
            let s = std.count == 1 ? std[0] : std[c]
            out[i] = (out[i] - m) / s
        }
        return out
    }

    /// `image`'s values (0…255) at every pixel of `transform`'s input: bilinear over the upright
    /// image's crop region, `fill` outside the content (letterbox). Reads only the pixels it
    /// samples, through the orientation, so no upright or float copy of the image is made.
    static func sample(_ image: TensorImage, transform: ImageTransform, channels: Int, fill: Float) -> [Float] {
        let width = transform.inputWidth, height = transform.inputHeight
        var out = [Float](repeating: fill, count: width * height * channels)
        let region = transform.region, content = transform.content
        let xScale = Float(region.width) / Float(content.width)
        let yScale = Float(region.height) / Float(content.height)
        let orientation = image.orientation
        let step = image.format.bytesPerPixel
        let format = image.format
        let storedWidth = image.width, storedHeight = image.height
        image.pixels.withUnsafeBufferPointer { p in
            // The pixel at upright (x, y) of the region, as `channels` values.
            @inline(__always) func pixel(_ x: Int, _ y: Int) -> (Float, Float, Float) {
                let stored = orientation.storedPixel(x: region.x + x, y: region.y + y, width: storedWidth, height: storedHeight)
                let base = (stored.y * storedWidth + stored.x) * step
                let r, g, b: Float
                switch format {
                case .rgb, .rgba: (r, g, b) = (Float(p[base]), Float(p[base + 1]), Float(p[base + 2]))
                case .bgra: (r, g, b) = (Float(p[base + 2]), Float(p[base + 1]), Float(p[base]))
                case .gray: return (Float(p[base]), Float(p[base]), Float(p[base]))
                }
                if channels == 1 { let l = TensorImage.luma(r, g, b); return (l, l, l) }
                return (r, g, b)
            }
            for y in content.y..<(content.y + content.height) {
                let sy = max(0, (Float(y - content.y) + 0.5) * yScale - 0.5)
                let y0 = min(Int(sy), region.height - 1)
                let y1 = min(y0 + 1, region.height - 1)
                let fy = sy - Float(y0)
                for x in content.x..<(content.x + content.width) {
                    let sx = max(0, (Float(x - content.x) + 0.5) * xScale - 0.5)
                    let x0 = min(Int(sx), region.width - 1)
                    let x1 = min(x0 + 1, region.width - 1)
                    let fx = sx - Float(x0)
                    let a = pixel(x0, y0), b = pixel(x1, y0), d = pixel(x0, y1), e = pixel(x1, y1)
                    let o = (y * width + x) * channels
                    func mix(_ a: Float, _ b: Float, _ d: Float, _ e: Float) -> Float {
                        let top = a + (b - a) * fx
                        let bottom = d + (e - d) * fx
                        return top + (bottom - top) * fy
                    }
                    out[o] = mix(a.0, b.0, d.0, e.0)
                    if channels == 3 {
                        out[o + 1] = mix(a.1, b.1, d.1, e.1)
                        out[o + 2] = mix(a.2, b.2, d.2, e.2)
                    }
                }
            }
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
