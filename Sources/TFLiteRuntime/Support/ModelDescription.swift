/// What a generated wrapper knows about its model, at run time (like Core ML's
/// `MLModelDescription`): the metadata's name, version, author and license, and each argument
/// and output with its tensor, shape, type, image size and labels.
///
/// A wrapper's `static let modelDescription` is written at generation time (labels are `nil`
/// there: they are packed in the model); an instance's `modelDescription` adds the labels read
/// from the model it loaded.
public struct ModelDescription: Sendable, Hashable {
    /// The metadata's model name (the file name without extension when there is none).
    public var name: String
    /// The model file the wrapper was generated from.
    public var modelFileName: String
    /// The metadata's description of the model.
    public var summary: String?
    /// The metadata's version.
    public var version: String?
    /// The metadata's author.
    public var author: String?
    /// The metadata's license.
    public var license: String?
    /// The arguments of `prediction(…)`, in order.
    public var inputs: [Feature]
    /// The properties of the output type, in order.
    public var outputs: [Feature]

    /// A description from its parts.
    public init(name: String, modelFileName: String, summary: String? = nil, version: String? = nil,
                author: String? = nil, license: String? = nil, inputs: [Feature], outputs: [Feature]) {
        self.name = name
        self.modelFileName = modelFileName
        self.summary = summary
        self.version = version
        self.author = author
        self.license = license
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The argument or output property called `name`.
    public func feature(named name: String) -> Feature? {
        inputs.first { $0.name == name } ?? outputs.first { $0.name == name }
    }

    /// One argument of `prediction(…)` or one property of the output type.
    public struct Feature: Sendable, Hashable {
        /// The Swift name of the argument or property.
        public var name: String
        /// The model tensors it reads or writes (several for a BERT text input or a detection
        /// output).
        public var tensorNames: [String]
        /// The shape of its (first) tensor, outermost first.
        public var shape: [Int]
        /// The element type of its (first) tensor (`float32`, `uint8`, …).
        public var dataType: String
        /// The metadata's description of the tensor.
        public var summary: String?
        /// For an image argument, the size the model takes (images of any size are resized to it).
        public var imageSize: ImageSize?
        /// For a classification, detection or mask: the labels read from the model, in class
        /// order (`nil` in the static description, and when the output has no labels).
        public var labels: [String]?

        /// A feature from its parts.
        public init(name: String, tensorNames: [String], shape: [Int], dataType: String, summary: String? = nil,
                    imageSize: ImageSize? = nil, labels: [String]? = nil) {
            self.name = name
            self.tensorNames = tensorNames
            self.shape = shape
            self.dataType = dataType
            self.summary = summary
            self.imageSize = imageSize
            self.labels = labels
        }
    }

    /// The pixel size of an image argument.
    public struct ImageSize: Sendable, Hashable {
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int

        /// A size.
        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// This description with `labels` for the outputs named by the dictionary's keys.
    public func withLabels(_ labels: [String: [String]]) -> ModelDescription {
        var copy = self
        for index in copy.outputs.indices {
            if let found = labels[copy.outputs[index].name] { copy.outputs[index].labels = found }
        }
        return copy
    }
}
