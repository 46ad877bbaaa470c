/// One class and its score, as classification and detection results report them.
public struct Category: Sendable, Hashable, CustomStringConvertible {
    /// The position on the class axis (or the class value for detections).
    public var index: Int
    /// The label from the model's first label file, or "" without labels.
    public var label: String
    /// The label in the chosen locale (the first label file's by default), or nil.
    public var displayName: String?
    /// The score, calibrated when the model has score calibration.
    public var score: Float

    /// A category: class `index`, its `label`, an optional localized `displayName`, and its `score`.

    public init(index: Int, label: String, displayName: String? = nil, score: Float) {
        self.index = index
        self.label = label
        self.displayName = displayName
        self.score = score
    }

    public var description: String {
        "\(label.isEmpty ? "#\(index)" : label) (\(index)): \(score)"
    }
}
