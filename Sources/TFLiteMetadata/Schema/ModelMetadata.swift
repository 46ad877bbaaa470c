/// The root of TFLite metadata (`ModelMetadata`, schema 1.5.0, identifier `M001`).
///
/// Every field is optional, as in the schema: absent fields are omitted from JSON, exactly as
/// tflite-support prints them.
public struct ModelMetadata: Codable, Hashable, Sendable {
    /// The model's name, e.g. `MobileNetV2 image classifier`.
    public var name: String?
    /// What the model does, for people; wrappers copy it into their documentation.
    public var description: String?
    /// The model's own version (free text; not the schema or parser version).
    public var version: String?
    /// Metadata of each subgraph, in subgraph order (TFLite readers use the first).
    public var subgraphMetadata: [SubGraphMetadata]?
    /// Who made the model.
    public var author: String?
    /// The model's license, e.g. `Apache License. Version 2.0`.
    public var license: String?
    /// Files that concern the whole model (e.g. a README), packed after it.
    public var associatedFiles: [AssociatedFile]?
    /// The oldest metadata parser version that can read this metadata.
    public var minParserVersion: String?

    /// Creates metadata; every field is optional, as in the schema.
    ///
    /// - Parameters:
    ///   - name: The model's name.
    ///   - description: What the model does.
    ///   - version: The model's own version.
    ///   - subgraphMetadata: Metadata of each subgraph.
    ///   - author: Who made the model.
    ///   - license: The model's license.
    ///   - associatedFiles: Files that concern the whole model.
    ///   - minParserVersion: The oldest parser that reads this metadata; ``MetadataPopulator``
    ///     writes the computed ``requiredParserVersion()`` whatever this says.
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
    /// The subgraph's name.
    public var name: String?
    /// What the subgraph computes.
    public var description: String?
    /// Metadata of each input tensor, in the subgraph's input order.
    public var inputTensorMetadata: [TensorMetadata]?
    /// Metadata of each output tensor, in the subgraph's output order.
    public var outputTensorMetadata: [TensorMetadata]?
    /// Files that concern the subgraph as a whole.
    public var associatedFiles: [AssociatedFile]?
    /// Processing before the inputs that spans several tensors, such as a tokenizer (needs
    /// parser 1.1.0).
    public var inputProcessUnits: [ProcessUnit]?
    /// Processing after the outputs that spans several tensors (needs parser 1.1.0).
    public var outputProcessUnits: [ProcessUnit]?
    /// Input tensors read together, by name (needs parser 1.2.0).
    public var inputTensorGroups: [TensorGroup]?
    /// Output tensors read together, such as the four tensors of a detection result (needs
    /// parser 1.2.0).
    public var outputTensorGroups: [TensorGroup]?
    /// Named opaque data for particular consumers (needs parser 1.5.0).
    public var customMetadata: [CustomMetadata]?

    /// Creates subgraph metadata; every field is optional, as in the schema.
    ///
    /// - Parameters:
    ///   - name: The subgraph's name.
    ///   - description: What it computes.
    ///   - inputTensorMetadata: Metadata of each input, in input order.
    ///   - outputTensorMetadata: Metadata of each output, in output order.
    ///   - associatedFiles: Files that concern the subgraph.
    ///   - inputProcessUnits: Processing before the inputs (e.g. a tokenizer).
    ///   - outputProcessUnits: Processing after the outputs.
    ///   - inputTensorGroups: Input tensors read together.
    ///   - outputTensorGroups: Output tensors read together.
    ///   - customMetadata: Named opaque data.
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
