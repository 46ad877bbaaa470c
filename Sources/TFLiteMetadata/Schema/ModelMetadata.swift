/// The root of TFLite metadata (`ModelMetadata`, schema 1.5.0, identifier `M001`).
///
/// Every field is optional, as in the schema: absent fields are omitted from JSON, exactly as
/// tflite-support prints them.
public struct ModelMetadata: Codable, Hashable, Sendable {
    public var name: String?
    public var description: String?
    public var version: String?
    public var subgraphMetadata: [SubGraphMetadata]?
    public var author: String?
    public var license: String?
    public var associatedFiles: [AssociatedFile]?
    /// The oldest metadata parser version that can read this metadata.
    public var minParserVersion: String?

    public init(name: String? = nil, description: String? = nil, version: String? = nil,
                subgraphMetadata: [SubGraphMetadata]? = nil, author: String? = nil, license: String? = nil,
                associatedFiles: [AssociatedFile]? = nil, minParserVersion: String? = nil) {
        self.name = name
        self.description = description
        self.version = version
        self.subgraphMetadata = subgraphMetadata
        self.author = author
        self.license = license
        self.associatedFiles = associatedFiles
        self.minParserVersion = minParserVersion
    }

    enum CodingKeys: String, CodingKey {
        case name, description, version, author, license
        case subgraphMetadata = "subgraph_metadata"
        case associatedFiles = "associated_files"
        case minParserVersion = "min_parser_version"
    }
}

/// Metadata of one subgraph (`SubGraphMetadata`).
public struct SubGraphMetadata: Codable, Hashable, Sendable {
    public var name: String?
    public var description: String?
    public var inputTensorMetadata: [TensorMetadata]?
    public var outputTensorMetadata: [TensorMetadata]?
    public var associatedFiles: [AssociatedFile]?
    public var inputProcessUnits: [ProcessUnit]?
    public var outputProcessUnits: [ProcessUnit]?
    public var inputTensorGroups: [TensorGroup]?
    public var outputTensorGroups: [TensorGroup]?
    public var customMetadata: [CustomMetadata]?

    public init(name: String? = nil, description: String? = nil,
                inputTensorMetadata: [TensorMetadata]? = nil, outputTensorMetadata: [TensorMetadata]? = nil,
                associatedFiles: [AssociatedFile]? = nil,
                inputProcessUnits: [ProcessUnit]? = nil, outputProcessUnits: [ProcessUnit]? = nil,
                inputTensorGroups: [TensorGroup]? = nil, outputTensorGroups: [TensorGroup]? = nil,
                customMetadata: [CustomMetadata]? = nil) {
        self.name = name
        self.description = description
        self.inputTensorMetadata = inputTensorMetadata
        self.outputTensorMetadata = outputTensorMetadata
        self.associatedFiles = associatedFiles
        self.inputProcessUnits = inputProcessUnits
        self.outputProcessUnits = outputProcessUnits
        self.inputTensorGroups = inputTensorGroups
        self.outputTensorGroups = outputTensorGroups
        self.customMetadata = customMetadata
    }

    enum CodingKeys: String, CodingKey {
        case name, description
        case inputTensorMetadata = "input_tensor_metadata"
        case outputTensorMetadata = "output_tensor_metadata"
        case associatedFiles = "associated_files"
        case inputProcessUnits = "input_process_units"
        case outputProcessUnits = "output_process_units"
        case inputTensorGroups = "input_tensor_groups"
        case outputTensorGroups = "output_tensor_groups"
        case customMetadata = "custom_metadata"
    }
}
