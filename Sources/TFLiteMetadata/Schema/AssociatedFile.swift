/// A file packed with the model and referenced from metadata (`AssociatedFile`).
public struct AssociatedFile: Codable, Hashable, Sendable {
    /// The file's name in the archive packed after the model (how readers find it), e.g.
    /// `labels.txt`.
    public var name: String?
    /// What the file is, for people.
    public var description: String?
    /// What the file holds; decides how runtimes and `tflcodegen` wrappers read it.
    public var type: AssociatedFileType?
    /// For label files: the locale of this translation (e.g. `en`).
    public var locale: String?
    /// Since 1.4.1.
    public var version: String?

    /// Creates a file reference; every field is optional, as in the schema.
    ///
    /// - Parameters:
    ///   - name: The file's name in the packed archive.
    ///   - description: What the file is.
    ///   - type: What it holds.
    ///   - locale: For label files, the locale of this translation.
    ///   - version: The file's version (needs parser 1.4.1).
    public init(name: String? = nil, description: String? = nil, type: AssociatedFileType? = nil,
                locale: String? = nil, version: String? = nil) {
        self.name = name
        self.description = description
        self.type = type
        self.locale = locale
        self.version = version
    }
}
