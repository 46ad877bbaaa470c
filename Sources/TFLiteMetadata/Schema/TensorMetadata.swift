/// Metadata of one input or output tensor (`TensorMetadata`).
public struct TensorMetadata: Codable, Hashable, Sendable {
    public var name: String?
    public var description: String?
    public var dimensionNames: [String]?
    public var content: Content?
    public var processUnits: [ProcessUnit]?
    public var stats: Stats?
    public var associatedFiles: [AssociatedFile]?

    public init(name: String? = nil, description: String? = nil, dimensionNames: [String]? = nil,
                content: Content? = nil, processUnits: [ProcessUnit]? = nil, stats: Stats? = nil,
                associatedFiles: [AssociatedFile]? = nil) {
        self.name = name
        self.description = description
        self.dimensionNames = dimensionNames
        self.content = content
        self.processUnits = processUnits
        self.stats = stats
        self.associatedFiles = associatedFiles
    }

    enum CodingKeys: String, CodingKey {
        case name, description, content, stats
        case dimensionNames = "dimension_names"
        case processUnits = "process_units"
        case associatedFiles = "associated_files"
    }
}

/// Value range of a tensor: per channel or one for all (`Stats`).
public struct Stats: Codable, Hashable, Sendable {
    public var max: [Float]?
    public var min: [Float]?

    public init(max: [Float]? = nil, min: [Float]? = nil) {
        self.max = max
        self.min = min
    }
}

/// A named group of tensors read together, e.g. detection results (`TensorGroup`, since 1.2.0).
public struct TensorGroup: Codable, Hashable, Sendable {
    public var name: String?
    public var tensorNames: [String]?

    public init(name: String? = nil, tensorNames: [String]? = nil) {
        self.name = name
        self.tensorNames = tensorNames
    }

    enum CodingKeys: String, CodingKey {
        case name
        case tensorNames = "tensor_names"
    }
}

/// Opaque, named data for a specific consumer (`CustomMetadata`, since 1.5.0).
public struct CustomMetadata: Codable, Hashable, Sendable {
    public var name: String?
    public var data: [UInt8]?

    public init(name: String? = nil, data: [UInt8]? = nil) {
        self.name = name
        self.data = data
    }
}
