import TFLiteModel

/// Why calibration could not run: one line naming the file (or tensor) and what is wrong.
package struct CalibrationError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    /// An error saying `message` (model text in it already passed through `DisplayText`).
    public init(_ message: String) { description = message }
}
