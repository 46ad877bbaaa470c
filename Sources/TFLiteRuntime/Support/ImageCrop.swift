/// Which part of an image the model sees.
public enum ImageCrop: Sendable, Hashable {
    /// The whole image.
    case none
    /// The largest centred region with the model input's aspect ratio (as classifiers trained on
    /// centre crops expect).
    case center
    /// This region of the upright image, in pixels (clamped to the image).
    case region(ImageRegion)
}
