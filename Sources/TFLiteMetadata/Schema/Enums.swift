/// What an associated file holds (`AssociatedFileType`).
public enum AssociatedFileType: String, Codable, Sendable, CaseIterable {
    case unknown = "UNKNOWN"
    case descriptions = "DESCRIPTIONS"
    case tensorAxisLabels = "TENSOR_AXIS_LABELS"
    case tensorValueLabels = "TENSOR_VALUE_LABELS"
    case tensorAxisScoreCalibration = "TENSOR_AXIS_SCORE_CALIBRATION"
    case vocabulary = "VOCABULARY"
    case scannIndexFile = "SCANN_INDEX_FILE"
}

/// Colour space of an image tensor (`ColorSpaceType`).
public enum ColorSpaceType: String, Codable, Sendable, CaseIterable {
    case unknown = "UNKNOWN"
    case rgb = "RGB"
    case grayscale = "GRAYSCALE"
}

/// How the four numbers of a box are laid out (`BoundingBoxType`).
public enum BoundingBoxType: String, Codable, Sendable, CaseIterable {
    case unknown = "UNKNOWN"
    case boundaries = "BOUNDARIES"
    case upperLeft = "UPPER_LEFT"
    case center = "CENTER"
}

/// Whether box coordinates are ratios of the image size or pixels (`CoordinateType`).
public enum CoordinateType: String, Codable, Sendable, CaseIterable {
    case ratio = "RATIO"
    case pixel = "PIXEL"
}

/// The transformation applied before score calibration (`ScoreTransformationType`).
public enum ScoreTransformationType: String, Codable, Sendable, CaseIterable {
    case identity = "IDENTITY"
    case log = "LOG"
    case inverseLogistic = "INVERSE_LOGISTIC"
}
