/// What a tensor holds and how it is laid out (`Content`).
public struct Content: Codable, Hashable, Sendable {
    /// The kind of content (feature, image, bounding box or audio) and its properties.
    public var contentProperties: ContentProperties?
    /// For tensors like boxes: the dimension range that holds the content.
    public var range: ValueRange?

    /// Creates a content description.
    ///
    /// - Parameters:
    ///   - contentProperties: The kind of content and its properties.
    ///   - range: The dimension range that holds the content, for tensors such as boxes.
    public init(contentProperties: ContentProperties? = nil, range: ValueRange? = nil) {
        self.contentProperties = contentProperties
        self.range = range
    }

    enum CodingKeys: String, CodingKey {
        case contentPropertiesType = "content_properties_type"
        case contentProperties = "content_properties"
        case range
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        range = try container.decodeIfPresent(ValueRange.self, forKey: .range)
        guard let kind = try container.decodeIfPresent(String.self, forKey: .contentPropertiesType), kind != "NONE" else {
            contentProperties = nil
            return
        }
        switch kind {
        case "FeatureProperties":
            contentProperties = .feature(try container.decodeIfPresent(FeatureProperties.self, forKey: .contentProperties) ?? FeatureProperties())
        case "ImageProperties":
            contentProperties = .image(try container.decodeIfPresent(ImageProperties.self, forKey: .contentProperties) ?? ImageProperties())
        case "BoundingBoxProperties":
            contentProperties = .boundingBox(try container.decodeIfPresent(BoundingBoxProperties.self, forKey: .contentProperties) ?? BoundingBoxProperties())
        case "AudioProperties":
            contentProperties = .audio(try container.decodeIfPresent(AudioProperties.self, forKey: .contentProperties) ?? AudioProperties())
        default:
            throw DecodingError.dataCorruptedError(forKey: .contentPropertiesType, in: container,
                                                   debugDescription: "unknown content properties type \"\(kind)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch contentProperties {
        case .feature(let value)?:
            try container.encode("FeatureProperties", forKey: .contentPropertiesType)
            try container.encode(value, forKey: .contentProperties)
        case .image(let value)?:
            try container.encode("ImageProperties", forKey: .contentPropertiesType)
            try container.encode(value, forKey: .contentProperties)
        case .boundingBox(let value)?:
            try container.encode("BoundingBoxProperties", forKey: .contentPropertiesType)
            try container.encode(value, forKey: .contentProperties)
        case .audio(let value)?:
            try container.encode("AudioProperties", forKey: .contentPropertiesType)
            try container.encode(value, forKey: .contentProperties)
        case nil:
            break
        }
        try container.encodeIfPresent(range, forKey: .range)
    }
}

/// The `ContentProperties` union.
public enum ContentProperties: Hashable, Sendable {
    /// A feature vector or scores.
    case feature(FeatureProperties)
    /// An image (colour space, default size).
    case image(ImageProperties)
    /// Bounding boxes (layout and coordinate type).
    case boundingBox(BoundingBoxProperties)
    /// Audio samples (sample rate, channels; needs parser 1.3.0).
    case audio(AudioProperties)
}

/// A plain feature vector or scores (`FeatureProperties`, no fields).
public struct FeatureProperties: Codable, Hashable, Sendable {
    /// The properties of a feature tensor (the table has no fields).
    public init() {}
}

/// An image tensor's colour space and default size (`ImageProperties`).
public struct ImageProperties: Codable, Hashable, Sendable {
    /// The channel layout the model expects.
    public var colorSpace: ColorSpaceType?
    /// The image size the model was trained on, in pixels.
    public var defaultSize: ImageSize?

    /// Creates image properties.
    ///
    /// - Parameters:
    ///   - colorSpace: The channel layout the model expects.
    ///   - defaultSize: The image size, in pixels.
    public init(colorSpace: ColorSpaceType? = nil, defaultSize: ImageSize? = nil) {
        self.colorSpace = colorSpace
        self.defaultSize = defaultSize
    }

    enum CodingKeys: String, CodingKey {
        case colorSpace = "color_space"
        case defaultSize = "default_size"
    }
}

/// Width and height in pixels (`ImageSize`).
public struct ImageSize: Codable, Hashable, Sendable {
    /// Width in pixels.
    public var width: UInt32?
    /// Height in pixels.
    public var height: UInt32?

    /// Creates a size from a width and a height in pixels.
    public init(width: UInt32? = nil, height: UInt32? = nil) {
        self.width = width
        self.height = height
    }
}

/// How boxes are encoded in a detection tensor (`BoundingBoxProperties`).
public struct BoundingBoxProperties: Codable, Hashable, Sendable {
    /// The positions of left, top, right, bottom (or their equivalents) in the last dimension.
    public var index: [UInt32]?
    /// Which four numbers describe a box, in the order `index` gives.
    public var type: BoundingBoxType?
    /// Whether the numbers are ratios of the image size or pixels.
    public var coordinateType: CoordinateType?

    /// Creates bounding-box properties.
    ///
    /// - Parameters:
    ///   - index: The positions of the four numbers in the box dimension.
    ///   - type: Which four numbers describe a box.
    ///   - coordinateType: Ratios or pixels.
    public init(index: [UInt32]? = nil, type: BoundingBoxType? = nil, coordinateType: CoordinateType? = nil) {
        self.index = index
        self.type = type
        self.coordinateType = coordinateType
    }

    enum CodingKeys: String, CodingKey {
        case index, type
        case coordinateType = "coordinate_type"
    }
}

/// Sample rate and channel count of an audio tensor (`AudioProperties`, since 1.3.0).
public struct AudioProperties: Codable, Hashable, Sendable {
    /// Samples per second per channel, in hertz.
    public var sampleRate: UInt32?
    /// The number of interleaved channels.
    public var channels: UInt32?

    /// Creates audio properties from a sample rate (Hz) and a channel count.
    public init(sampleRate: UInt32? = nil, channels: UInt32? = nil) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    enum CodingKeys: String, CodingKey {
        case sampleRate = "sample_rate"
        case channels
    }
}

/// An inclusive dimension range (`ValueRange`).
public struct ValueRange: Codable, Hashable, Sendable {
    /// The first dimension of the range (inclusive).
    public var min: Int32?
    /// The last dimension of the range (inclusive).
    public var max: Int32?

    /// Creates an inclusive range of dimension indices.
    public init(min: Int32? = nil, max: Int32? = nil) {
        self.min = min
        self.max = max
    }
}
