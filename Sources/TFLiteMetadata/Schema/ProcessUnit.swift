/// A pre- or post-processing step (`ProcessUnit`).
public struct ProcessUnit: Codable, Hashable, Sendable {
    /// The step and its parameters.
    public var options: ProcessUnitOptions?

    /// Creates a processing step from its options.
    public init(options: ProcessUnitOptions? = nil) {
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case optionsType = "options_type"
        case options
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let kind = try container.decodeIfPresent(String.self, forKey: .optionsType), kind != "NONE" else {
            options = nil
            return
        }
        func member<T: Decodable>(_ type: T.Type, empty: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: .options) ?? empty
        }
        switch kind {
        case "NormalizationOptions": options = .normalization(try member(NormalizationOptions.self, empty: .init()))
        case "ScoreCalibrationOptions": options = .scoreCalibration(try member(ScoreCalibrationOptions.self, empty: .init()))
        case "ScoreThresholdingOptions": options = .scoreThresholding(try member(ScoreThresholdingOptions.self, empty: .init()))
        case "BertTokenizerOptions": options = .bertTokenizer(try member(BertTokenizerOptions.self, empty: .init()))
        case "SentencePieceTokenizerOptions": options = .sentencePieceTokenizer(try member(SentencePieceTokenizerOptions.self, empty: .init()))
        case "RegexTokenizerOptions": options = .regexTokenizer(try member(RegexTokenizerOptions.self, empty: .init()))
        default:
            throw DecodingError.dataCorruptedError(forKey: .optionsType, in: container,
                                                   debugDescription: "unknown process unit options type \"\(kind)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch options {
        case .normalization(let value)?:
            try container.encode("NormalizationOptions", forKey: .optionsType)
            try container.encode(value, forKey: .options)
        case .scoreCalibration(let value)?:
            try container.encode("ScoreCalibrationOptions", forKey: .optionsType)
            try container.encode(value, forKey: .options)
        case .scoreThresholding(let value)?:
            try container.encode("ScoreThresholdingOptions", forKey: .optionsType)
            try container.encode(value, forKey: .options)
        case .bertTokenizer(let value)?:
            try container.encode("BertTokenizerOptions", forKey: .optionsType)
            try container.encode(value, forKey: .options)
        case .sentencePieceTokenizer(let value)?:
            try container.encode("SentencePieceTokenizerOptions", forKey: .optionsType)
            try container.encode(value, forKey: .options)
        case .regexTokenizer(let value)?:
            try container.encode("RegexTokenizerOptions", forKey: .optionsType)
            try container.encode(value, forKey: .options)
        case nil:
            break
        }
    }
}

/// The `ProcessUnitOptions` union.
public enum ProcessUnitOptions: Hashable, Sendable {
    /// Normalize an input: `(x - mean) / std`.
    case normalization(NormalizationOptions)
    /// Calibrate output scores with per-class sigmoids.
    case scoreCalibration(ScoreCalibrationOptions)
    /// Drop output scores below a threshold.
    case scoreThresholding(ScoreThresholdingOptions)
    /// Tokenize text with BERT's WordPiece.
    case bertTokenizer(BertTokenizerOptions)
    /// Tokenize text with a SentencePiece model.
    case sentencePieceTokenizer(SentencePieceTokenizerOptions)
    /// Split text on a regular expression and map words through a vocabulary.
    case regexTokenizer(RegexTokenizerOptions)
}

/// `(x - mean) / std`, one value or one per channel (`NormalizationOptions`).
public struct NormalizationOptions: Codable, Hashable, Sendable {
    /// The mean subtracted: one value for every channel, or one per channel.
    public var mean: [Float]?
    /// The standard deviation divided by: one value, or one per channel (none zero).
    public var std: [Float]?

    /// Creates normalization options from the mean and the standard deviation.
    public init(mean: [Float]? = nil, std: [Float]? = nil) {
        self.mean = mean
        self.std = std
    }
}

/// Score calibration with parameters from a `TENSOR_AXIS_SCORE_CALIBRATION` file.
public struct ScoreCalibrationOptions: Codable, Hashable, Sendable {
    /// The function applied to a score before the sigmoid (identity when absent).
    public var scoreTransformation: ScoreTransformationType?
    /// The score for classes without calibration parameters.
    public var defaultScore: Float?

    /// Creates score calibration options.
    ///
    /// - Parameters:
    ///   - scoreTransformation: The function applied before the sigmoid.
    ///   - defaultScore: The score of classes without parameters or below their `min_score`.
    public init(scoreTransformation: ScoreTransformationType? = nil, defaultScore: Float? = nil) {
        self.scoreTransformation = scoreTransformation
        self.defaultScore = defaultScore
    }

    enum CodingKeys: String, CodingKey {
        case scoreTransformation = "score_transformation"
        case defaultScore = "default_score"
    }
}

/// Scores below the threshold are dropped (`ScoreThresholdingOptions`).
public struct ScoreThresholdingOptions: Codable, Hashable, Sendable {
    /// Scores below this value are dropped, for every class.
    public var globalScoreThreshold: Float?

    /// Creates thresholding options from the threshold.
    public init(globalScoreThreshold: Float? = nil) {
        self.globalScoreThreshold = globalScoreThreshold
    }

    enum CodingKeys: String, CodingKey {
        case globalScoreThreshold = "global_score_threshold"
    }
}

/// BERT WordPiece tokenizer (`BertTokenizerOptions`, since 1.1.0).
public struct BertTokenizerOptions: Codable, Hashable, Sendable {
    /// The WordPiece vocabulary (a `VOCABULARY` file, one token per line).
    public var vocabFile: [AssociatedFile]?

    /// Creates BERT tokenizer options from the vocabulary file.
    public init(vocabFile: [AssociatedFile]? = nil) {
        self.vocabFile = vocabFile
    }

    enum CodingKeys: String, CodingKey {
        case vocabFile = "vocab_file"
    }
}

/// SentencePiece tokenizer (`SentencePieceTokenizerOptions`, since 1.1.0).
public struct SentencePieceTokenizerOptions: Codable, Hashable, Sendable {
    /// The SentencePiece model file.
    public var sentencePieceModel: [AssociatedFile]?
    /// An optional vocabulary that maps pieces to ids.
    public var vocabFile: [AssociatedFile]?

    /// Creates SentencePiece options from the model file and an optional vocabulary.
    public init(sentencePieceModel: [AssociatedFile]? = nil, vocabFile: [AssociatedFile]? = nil) {
        self.sentencePieceModel = sentencePieceModel
        self.vocabFile = vocabFile
    }

    enum CodingKeys: String, CodingKey {
        case sentencePieceModel = "sentencePiece_model"
        case vocabFile = "vocab_file"
    }
}

/// Regular-expression tokenizer with a vocabulary (`RegexTokenizerOptions`, since 1.2.1).
public struct RegexTokenizerOptions: Codable, Hashable, Sendable {
    /// The regular expression that separates words (e.g. `[^\w\']+`).
    public var delimRegexPattern: String?
    /// The vocabulary that maps words to ids: `word id` per line.
    public var vocabFile: [AssociatedFile]?

    /// Creates regex tokenizer options from the delimiter pattern and the vocabulary file.
    public init(delimRegexPattern: String? = nil, vocabFile: [AssociatedFile]? = nil) {
        self.delimRegexPattern = delimRegexPattern
        self.vocabFile = vocabFile
    }

    enum CodingKeys: String, CodingKey {
        case delimRegexPattern = "delim_regex_pattern"
        case vocabFile = "vocab_file"
    }
}
