/// How the (cropped) image is fitted to the model input's size.
public enum ImageFit: Sendable, Hashable {
    /// Resized to the input's width and height, whatever its aspect ratio.
    case stretch
    /// Resized keeping its aspect ratio and centred; the rest of the input is `fill` (a pixel
    /// value 0…255 in every channel, before normalization). Detection boxes and segmentation
    /// masks map back through the recorded ``ImageTransform``.
    case letterbox(fill: UInt8 = 0)
}
