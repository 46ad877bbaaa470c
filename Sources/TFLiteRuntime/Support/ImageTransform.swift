/// Where an image went in the model input: the region of the upright image the model saw (after
/// ``ImageCrop``) and where that region lies in the input (after ``ImageFit``: all of it when
/// stretched, a centred part when letterboxed). Generated wrappers use it to map detection boxes
/// and segmentation masks back to the image.
public struct ImageTransform: Sendable, Hashable {
    /// The upright image's width in pixels.
    public var imageWidth: Int
    /// The upright image's height in pixels.
    public var imageHeight: Int
    /// The model input's width in pixels.
    public var inputWidth: Int
    /// The model input's height in pixels.
    public var inputHeight: Int
    /// The part of the image the model sees, in image pixels.
    public var region: ImageRegion
    /// Where ``region`` lies in the input, in input pixels; outside it is letterbox padding.
    public var content: ImageRegion

    /// The transform of an upright `imageWidth` × `imageHeight` image into an `inputWidth` ×
    /// `inputHeight` input with `crop` and `fit`.
    public init(imageWidth: Int, imageHeight: Int, inputWidth: Int, inputHeight: Int,
                crop: ImageCrop = .none, fit: ImageFit = .stretch) {
        let iw = max(imageWidth, 1), ih = max(imageHeight, 1)
        let tw = max(inputWidth, 1), th = max(inputHeight, 1)
        self.imageWidth = iw
        self.imageHeight = ih
        self.inputWidth = tw
        self.inputHeight = th
        switch crop {
        case .none:
            region = ImageRegion(x: 0, y: 0, width: iw, height: ih)
        case .center:
            // The largest w × h with w / h = tw / th inside the image.
            let byWidth = Double(iw) * Double(th) / Double(tw)
            let (w, h) = byWidth <= Double(ih)
                ? (iw, Int(byWidth.rounded()))
                : (Int((Double(ih) * Double(tw) / Double(th)).rounded()), ih)
            let cw = min(max(w, 1), iw), ch = min(max(h, 1), ih)
            region = ImageRegion(x: (iw - cw) / 2, y: (ih - ch) / 2, width: cw, height: ch)
        case .region(let requested):
            region = requested.clamped(width: iw, height: ih)
        }
        switch fit {
        case .stretch:
            content = ImageRegion(x: 0, y: 0, width: tw, height: th)
        case .letterbox:
            let scale = min(Double(tw) / Double(region.width), Double(th) / Double(region.height))
            let cw = min(max(Int((Double(region.width) * scale).rounded()), 1), tw)
            let ch = min(max(Int((Double(region.height) * scale).rounded()), 1), th)
            content = ImageRegion(x: (tw - cw) / 2, y: (th - ch) / 2, width: cw, height: ch)
        }
    }

    /// The identity of a `width` × `height` input given as is (no image input to map back to).
    public init(identityWidth width: Int, height: Int) {
        self.init(imageWidth: width, imageHeight: height, inputWidth: width, inputHeight: height)
    }

    /// The image point (in image pixels, continuous: 0 is the left edge) at input point (`x`, `y`).
    public func imagePoint(inputX x: Float, inputY y: Float) -> (x: Float, y: Float) {
        let sx = Float(region.width) / Float(content.width)
        let sy = Float(region.height) / Float(content.height)
        return (Float(region.x) + (x - Float(content.x)) * sx, Float(region.y) + (y - Float(content.y)) * sy)
    }

    /// The input point (in input pixels, continuous) at image point (`x`, `y`).
    public func inputPoint(imageX x: Float, imageY y: Float) -> (x: Float, y: Float) {
        let sx = Float(content.width) / Float(region.width)
        let sy = Float(content.height) / Float(region.height)
        return (Float(content.x) + (x - Float(region.x)) * sx, Float(content.y) + (y - Float(region.y)) * sy)
    }

    /// `box` (in input pixels) in image pixels.
    public func imageBox(_ box: BoundingBox) -> BoundingBox {
        let topLeft = imagePoint(inputX: box.x, inputY: box.y)
        let bottomRight = imagePoint(inputX: box.x + box.width, inputY: box.y + box.height)
        return BoundingBox(x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y)
    }
}
