/// Metadata of one input or output tensor (`TensorMetadata`).
public struct TensorMetadata: Codable, Hashable, Sendable {
    /// The tensor's name for people and generated code (need not match the model's tensor name).
    public var name: String?
    /// What the tensor holds.
    public var description: String?
    /// A name for each dimension, e.g. `batch, height, width, channels`.
    public var dimensionNames: [String]?
    /// What kind of data the tensor holds (feature, image, boxes, audio) and its layout.
    public var content: Content?
    /// Processing of this tensor alone: normalization of an input, calibration or thresholding
    /// of an output.
    public var processUnits: [ProcessUnit]?
    /// The range of the tensor's values.
    public var stats: Stats?
    /// Files for this tensor, such as labels or score calibration.
    public var associatedFiles: [AssociatedFile]?

    /// Creates tensor metadata; every field is optional, as in the schema.
    ///
    /// - Parameters:
    ///   - name: The tensor's name for people and generated code.
    ///   - description: What it holds.
    ///   - dimensionNames: A name for each dimension.
    ///   - content: The kind of data and its layout.
    ///   - processUnits: Processing of this tensor.
    ///   - stats: The range of its values.
    ///   - associatedFiles: Files for this tensor (labels, calibration).
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
    /// The largest value: one for the tensor, or one per channel.
    public var max: [Float]?
    /// The smallest value: one for the tensor, or one per channel.
    public var min: [Float]?

    /// Creates statistics from the largest and smallest values.
    public init(max: [Float]? = nil, min: [Float]? = nil) {
        self.max = max
        self.min = min
    }
}

/// A named group of tensors read together, e.g. detection results (`TensorGroup`, since 1.2.0).
public struct TensorGroup: Codable, Hashable, Sendable {
    /// The group's name, e.g. `detection_result`.
    public var name: String?
    /// The ``TensorMetadata/name`` of each tensor in the group.
    public var tensorNames: [String]?

    /// Creates a group from its name and its tensors' metadata names.
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
    /// Whom the data is for; consumers look their entries up by name.
    public var name: String?
    /// The bytes, uninterpreted by this library.
    public var data: [UInt8]?

    /// Creates custom metadata from a name and bytes.
    public init(name: String? = nil, data: [UInt8]? = nil) {
        self.name = name
        self.data = data
    }
}
