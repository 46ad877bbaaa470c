/// A file packed with the model and referenced from metadata (`AssociatedFile`).
public struct AssociatedFile: Codable, Hashable, Sendable {
    public var name: String?
    public var description: String?
    public var type: AssociatedFileType?
    /// For label files: the locale of this translation (e.g. `en`).
    public var locale: String?
    /// Since 1.4.1.
    public var version: String?

    public init(name: String? = nil, description: String? = nil, type: AssociatedFileType? = nil,
                locale: String? = nil, version: String? = nil) {
        self.name = name
        self.description = description
        self.type = type
        self.locale = locale
        self.version = version
    }
}
