/// What an associated file holds (`AssociatedFileType`).
public enum AssociatedFileType: String, Codable, Sendable, CaseIterable {
    /// No declared kind; consumers ignore the file.
    case unknown = "UNKNOWN"
    /// Free text about the model or a tensor, such as a README.
    case descriptions = "DESCRIPTIONS"
    /// One label per line for the positions along a tensor axis, e.g. the classes of a
    /// classifier's score vector (line *i* names index *i*).
    case tensorAxisLabels = "TENSOR_AXIS_LABELS"
    /// One label per line for the values a tensor holds, e.g. the class indices of a
    /// segmentation mask or of a detector's classes tensor.
    case tensorValueLabels = "TENSOR_VALUE_LABELS"
    /// Score calibration parameters, one line per class along the score axis:
    /// `scale,slope,offset[,min_score]`, or an empty line for the default score.
    case tensorAxisScoreCalibration = "TENSOR_AXIS_SCORE_CALIBRATION"
    /// A tokenizer's vocabulary, one token per line (needs parser 1.0.1).
    case vocabulary = "VOCABULARY"
    /// A ScaNN index for embedding search (needs parser 1.4.0).
    case scannIndexFile = "SCANN_INDEX_FILE"
}

/// Colour space of an image tensor (`ColorSpaceType`).
public enum ColorSpaceType: String, Codable, Sendable, CaseIterable {
    /// Not stated.
    case unknown = "UNKNOWN"
    /// Three channels in red, green, blue order.
    case rgb = "RGB"
    /// One luminance channel.
    case grayscale = "GRAYSCALE"
}

/// How the four numbers of a box are laid out (`BoundingBoxType`).
public enum BoundingBoxType: String, Codable, Sendable, CaseIterable {
    /// Not stated.
    case unknown = "UNKNOWN"
    /// `left, top, right, bottom`.
    case boundaries = "BOUNDARIES"
    /// `left, top, width, height`.
    case upperLeft = "UPPER_LEFT"
    /// `center x, center y, width, height`.
    case center = "CENTER"
}

/// Whether box coordinates are ratios of the image size or pixels (`CoordinateType`).
public enum CoordinateType: String, Codable, Sendable, CaseIterable {
    /// Fractions of the image width and height, in 0...1.
    case ratio = "RATIO"
    /// Pixels of the model's input image.
    case pixel = "PIXEL"
}

/// The transformation applied before score calibration (`ScoreTransformationType`).
public enum ScoreTransformationType: String, Codable, Sendable, CaseIterable {
    /// The score itself: `f(x) = x`.
    case identity = "IDENTITY"
    /// `f(x) = log(x)`.
    case log = "LOG"
    /// The logit: `f(x) = log(x) - log(1 - x)`.
    case inverseLogistic = "INVERSE_LOGISTIC"
}
