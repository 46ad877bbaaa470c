/// Why a model file could not be read: the file, the field (a path such as
/// `subgraphs[0].tensors[3].buffer`) and what is wrong, printed on one line.
public struct ModelError: Error, Equatable, CustomStringConvertible {
    /// The file (or `<memory>`).
    public let file: String
    /// The field at fault, when there is one.
    public let field: String?
    /// What is wrong.
    public let reason: String

    /// An error in `file`, at `field` (nil: the file as a whole), because of `reason`.
    public init(file: String, field: String?, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "\(file): \(field): \(reason)" }
        return "\(file): \(reason)"
    }
}
