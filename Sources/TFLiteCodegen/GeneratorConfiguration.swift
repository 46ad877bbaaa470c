import Foundation

/// What to generate, from the command line or a plugin.
public struct GeneratorConfiguration: Hashable, Sendable {
    /// Where generated code looks for the bundled model in `init(configuration:options:)`.
    public enum ResourceBundle: String, Hashable, Sendable, CaseIterable {
        /// `Bundle.main` (apps, or models copied next to the executable's bundle).
        case main
        /// `Bundle.module` (the target that holds the model, as the build plugin sets it up).
        case module
    }

    /// The access level of the generated types and their members.
    public enum AccessLevel: String, Hashable, Sendable, CaseIterable {
        /// Public types, for a wrapper in a library target others import (the default).
        case `public`
        /// Internal types, for a wrapper used only in its own target.
        case `internal`

        /// The keyword written into generated code.
        var keyword: SwiftSource { self == .internal ? "internal" : "public" }
    }

    /// What the generator does with metadata that does not fit the model.
    public enum MetadataUse: String, Hashable, Sendable, CaseIterable {
        /// Use the metadata; when it does not fit the model (label counts, shapes, tensor counts,
        /// missing packed files, unsupported content), generate the generic wrapper, as for a
        /// model without metadata, with a warning naming each mismatch.
        case fallBack
        /// Use the metadata; a mismatch is an error and nothing is written.
        case strict
        /// Ignore the metadata (it is not even read): the generic wrapper.
        case ignore
    }

    /// The `.tflite` file.
    public var modelPath: String
    /// The wrapper's type name; by default from the metadata name or the file name.
    public var className: String?
    /// Name the wrapper from the model's file name even when the metadata has a name (what the
    /// build plugin does, so it knows the file it generates); ignored when `className` is set.
    public var nameFromFile: Bool
    /// What to do with metadata that does not fit the model (default: the generic wrapper, with warnings).
    public var metadataUse: MetadataUse
    /// A folder of `*.mustache` files overriding the embedded templates.
    public var templatesDirectory: String?
    /// Where the generated resource initializer finds the model (`--bundle`).
    public var resourceBundle: ResourceBundle
    /// The generated types' access level (`--access`).
    public var accessModifier: AccessLevel

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - modelPath: The `.tflite` file.
    ///   - className: The wrapper's type name (`--class-name`); nil derives it from the
    ///     metadata name or the file name.
    ///   - templatesDirectory: A folder of `*.mustache` files overriding the embedded templates
    ///     (`--templates`).
    ///   - resourceBundle: Where the generated code finds the bundled model.
    ///   - accessModifier: The generated types' access level.
    ///   - nameFromFile: Name the wrapper from the file name even when the metadata has a name
    ///     (the build plugin's `--name-from-file`).
    ///   - metadataUse: What to do with metadata that does not fit the model
    ///     (`--ignore-metadata`, `--strict-metadata`; default: the generic wrapper, with warnings).
    public init(modelPath: String, className: String? = nil, templatesDirectory: String? = nil,
                resourceBundle: ResourceBundle = .main, accessModifier: AccessLevel = .public,
                nameFromFile: Bool = false, metadataUse: MetadataUse = .fallBack) {
        self.modelPath = modelPath
        self.className = className
        self.nameFromFile = nameFromFile
        self.metadataUse = metadataUse
        self.templatesDirectory = templatesDirectory
        self.resourceBundle = resourceBundle
        self.accessModifier = accessModifier
    }

    /// The model's file name (`MobileNet.tflite`).
    public var modelFileName: String { URL(fileURLWithPath: modelPath).lastPathComponent }
}
