import TFLiteMetadata
import TFLiteModel

extension WrapperTranslator {
    func planInputs(_ model: ParsedModel, subgraph: SubGraphMetadata?, diagnostics: inout Diagnostics) -> [InputViewModel] {
        let file = model.fileName
        let metas = subgraph?.inputTensorMetadata ?? []
        var plans: [InputViewModel] = []
        var consumed = Set<Int>()

        // Subgraph-level tokenizers feed several tensors from one `text` argument.
        for unit in subgraph?.inputProcessUnits ?? [] {
            switch unit.options {
            case .bertTokenizer(let options)?:
                let context = "\(file): subgraph_metadata[0].input_process_units (BertTokenizerOptions)"
                func find(_ names: [String], _ fallback: Int) -> Int {
                    metas.firstIndex { names.contains($0.name ?? "") } ?? fallback
                }
                let ids = find(["ids", "input_ids", "input_word_ids"], 0)
                let mask = find(["mask", "input_mask"], 1)
                let segments = find(["segment_ids", "input_type_ids"], 2)
                guard Set([ids, mask, segments]).count == 3, [ids, mask, segments].allSatisfy({ model.inputs.indices.contains($0) }) else {
                    diagnostics.error("a BERT tokenizer needs three inputs (ids, mask, segment_ids); the model has \(model.inputs.count)", context: context)
                    continue
                }
                for index in [ids, mask, segments] where model.inputs[index].type != .int32 {
                    diagnostics.error("BERT inputs must be int32, not \(model.inputs[index].type)", context: Self.context("input", index, metas[safe: index], model.inputs[index]))
                }
                let vocab = requirePacked(options.vocabFile?.first?.name, in: model, context: context, what: "vocabulary file", diagnostics: &diagnostics)
                let length = model.inputs[ids].elementCount
                var plan = InputViewModel(name: "text", type: "Swift.String", docLines: [], tensorIndex: ids, last: false,
                                          example: SwiftSource.stringLiteral("It was a great movie!"),
                                          summary: .cell("`String`, BERT WordPiece tokens ([CLS] … [SEP]) into \(length) ids, mask and segment ids (int32)"))
                plan.isBertText = true
                plan.vocabularyFileLiteral = SwiftSource.stringLiteral(vocab ?? "")
                plan.idsIndex = ids
                plan.maskIndex = mask
                plan.segmentIdsIndex = segments
                plan.docLines = SwiftSource.docComment("""
                    Text to classify.

                    Tokenized with BERT's WordPiece tokenizer and \(vocab ?? "?"): `[CLS] tokens [SEP]`, truncated
                    and padded to \(length) ids; fills the ids (input \(ids)), mask (input \(mask)) and
                    segment ids (input \(segments)) tensors, each \(Self.shapeText(model.inputs[ids].shape)) int32.
                    """)
                plans.append(plan)
                consumed.formUnion([ids, mask, segments])
            case .sentencePieceTokenizer(let options)?:
                let modelFile = options.sentencePieceModel?.first?.name ?? "?"
                diagnostics.error("the SentencePiece tokenizer (\(modelFile)) is not supported by tflcodegen: it cannot tokenize text the way the model expects, so no wrapper is generated. Feed ids directly with TFLiteRuntime's Interpreter, or use a BERT (WordPiece) or regex tokenizer", context: "\(file): subgraph_metadata[0].input_process_units (SentencePieceTokenizerOptions)")
                consumed.formUnion(model.inputs.indices)
            case nil:
                break
            default:
                diagnostics.error("process unit \(unit.options.map { "\($0)" } ?? "?") is not an input process unit", context: "\(file): subgraph_metadata[0].input_process_units")
            }
        }

        for (index, tensor) in model.inputs.enumerated() where !consumed.contains(index) {
            let meta = metas[safe: index]
            let context = Self.context("input", index, meta, tensor)
            if let plan = planInput(index: index, tensor: tensor, meta: meta, model: model, context: "\(file): \(context)", diagnostics: &diagnostics) {
                plans.append(plan)
            }
        }
        return plans
    }

    private func planInput(index: Int, tensor: ParsedModel.TensorInfo, meta: TensorMetadata?, model: ParsedModel,
                           context: String, diagnostics: inout Diagnostics) -> InputViewModel? {
        let description = SwiftSource.docComment(meta?.description)
        let lead = description + (description.isEmpty ? [] : ["///"])
        let shapeText = "\(Self.shapeText(tensor.shape)) \(tensor.type)\(tensor.isQuantized ? " (quantized, scale \(tensor.scale.map { "\($0)" } ?? "?"), zero point \(tensor.zeroPoint ?? 0))" : "")"
        let units = meta?.processUnits ?? []
        var normalization: NormalizationOptions?
        var regex: RegexTokenizerOptions?
        for unit in units {
            switch unit.options {
            case .normalization(let options)?: normalization = options
            case .regexTokenizer(let options)?: regex = options
            case .bertTokenizer?, .sentencePieceTokenizer?:
                if case .sentencePieceTokenizer? = unit.options {
                    diagnostics.error("the SentencePiece tokenizer is not supported by tflcodegen; no wrapper is generated", context: context)
                } else {
                    diagnostics.error("a BERT tokenizer belongs in the subgraph's input_process_units, not on one tensor", context: context)
                }
                return nil
            default: break
            }
        }
        let fallbackName: StaticString
        var plan = InputViewModel(name: "", type: "", docLines: [], tensorIndex: index, last: false, example: "", summary: .cell(""))

        if let regex {
            fallbackName = "text"
            guard tensor.type == .int32 else {
                diagnostics.error("a regex tokenizer feeds int32 ids, but the tensor is \(tensor.type)", context: context)
                return nil
            }
            let vocab = requirePacked(regex.vocabFile?.first?.name, in: model, context: context, what: "vocabulary file", diagnostics: &diagnostics)
            plan.isRegexText = true
            plan.type = "Swift.String"
            plan.patternLiteral = SwiftSource.stringLiteral(regex.delimRegexPattern ?? "[^\\w\\']+")
            plan.vocabularyFileLiteral = SwiftSource.stringLiteral(vocab ?? "")
            plan.example = SwiftSource.stringLiteral("This is a great movie!")
            plan.summary = .cell("`String`, split at `\(regex.delimRegexPattern ?? "")` into \(tensor.elementCount) ids from \(vocab ?? "?")")
            plan.docLines = lead + SwiftSource.docComment("""
                Text, split at the pattern `\(regex.delimRegexPattern ?? "")` into words and mapped to ids with
                \(vocab ?? "?") (<START> first, <UNKNOWN> for unknown words, <PAD> up to \(tensor.elementCount) ids);
                input tensor `\(tensor.name)`: \(shapeText).
                """)
        } else {
            switch meta?.content?.contentProperties {
            case .image?:
                fallbackName = "image"
                let image: ImageInputPreprocessing
                do {
                    guard let rule = try ImageInputPreprocessing(metadata: meta, shape: tensor.shape, type: tensor.type) else { return nil }
                    image = rule
                } catch {
                    diagnostics.error(error.description, context: context)
                    return nil
                }
                let space = image.colorSpace.rawValue, mean = image.mean, std = image.std
                if !image.hasNormalization, tensor.type == .float32 {
                    diagnostics.warning("float image input without NormalizationOptions: pixels are fed as 0…255", context: context)
                }
                let height = image.height, width = image.width
                plan.isImage = true
                plan.type = "TFLiteRuntime.TensorImage"
                let spaceCase: SwiftSource = space == "rgb" ? "rgb" : "grayscale"
                plan.preprocessor = "TFLiteRuntime.ImagePreprocessor(colorSpace: .\(spaceCase), mean: \(mean), std: \(std))"
                plan.example = "TFLiteRuntime.TensorImage(width: \(width), height: \(height), rgb: pixels)"
                plan.summary = .cell("`TensorImage`, \(space == "rgb" ? "RGB" : "grayscale") \(width) × \(height), (x − \(Self.floats(mean))) / \(Self.floats(std)), \(shapeText)")
                var quantizeNote = ""
                if tensor.isQuantized { quantizeNote = " then quantized (round to nearest, clamped)" } else if tensor.type != .float32 { quantizeNote = " then rounded and clamped to \(tensor.type)" }
                plan.docLines = lead + SwiftSource.docComment("""
                    \(space == "rgb" ? "RGB" : "Grayscale") image of any size: resized to \(width) × \(height) (bilinear), normalized as
                    (x − \(Self.floats(mean))) / \(Self.floats(std)) per channel\(quantizeNote);
                    input tensor `\(tensor.name)`: \(shapeText).
                    """)
            case .audio(let properties)?:
                fallbackName = "audio"
                let rate = Int(properties.sampleRate ?? 0)
                let channels = Int(properties.channels ?? 1)
                guard rate > 0, channels > 0 else {
                    diagnostics.error("AudioProperties needs a sample rate and a channel count (got \(rate) Hz, \(channels) channels)", context: context)
                    return nil
                }
                guard tensor.elementCount % channels == 0 else {
                    diagnostics.error("the tensor's \(tensor.elementCount) values are not a whole number of \(channels)-channel frames", context: context)
                    return nil
                }
                guard tensor.type == .float32 || tensor.isQuantized else {
                    diagnostics.error("audio input of type \(tensor.type) is not supported (float32 or quantized)", context: context)
                    return nil
                }
                plan.isAudio = true
                plan.type = "[Swift.Float]"
                plan.preprocessor = "TFLiteRuntime.AudioPreprocessor(sampleRate: \(rate), channels: \(channels))"
                plan.example = "samples"
                let frames = tensor.elementCount / channels
                plan.summary = .cell("`[Float]`, \(frames) frames × \(channels) channel(s) at \(rate) Hz, \(shapeText)")
                plan.docLines = lead + SwiftSource.docComment("""
                    \(frames) audio frames of \(channels) channel(s) at \(rate) Hz (\(String(format: "%.3g", Double(frames) / Double(rate))) s), interleaved;
                    input tensor `\(tensor.name)`: \(shapeText).
                    """)
            case .boundingBox?:
                diagnostics.error("BoundingBoxProperties describes an output, not an input: unknown content for an input", context: context)
                return nil
            case .feature?, nil:
                fallbackName = "features"
                guard let scalar = SwiftSource.scalarType(tensor.type) else {
                    diagnostics.error("input of type \(tensor.type) is not supported by generated wrappers", context: context)
                    return nil
                }
                if tensor.type == .float32 || tensor.isQuantized {
                    plan.isFeatures = true
                    plan.type = "[Swift.Float]"
                } else {
                    plan.isValues = true
                    plan.type = "[\(scalar)]"
                }
                if let normalization, (normalization.mean ?? []).count > 0 {
                    diagnostics.warning("normalization on a feature input is not applied by the wrapper; pass normalized values", context: context)
                }
                plan.example = "features"
                plan.summary = .cell("`\(plan.type.text.replacingOccurrences(of: "Swift.", with: ""))`, \(tensor.elementCount) values, \(shapeText)")
                plan.docLines = lead + SwiftSource.docComment("""
                    \(tensor.elementCount) values in row-major order\(tensor.isQuantized ? ", quantized by the wrapper (round to nearest, clamped)" : "");
                    input tensor `\(tensor.name)`: \(shapeText).
                    """)
            }
        }
        // Without metadata for the tensor, the graph's own tensor name (`output_iris` → `outputIris`).
        plan.name = meta.map { SwiftSource.memberName($0.name, fallback: fallbackName) } ?? SwiftSource.memberName(graphTensorName: tensor.name, fallback: fallbackName)
        return plan
    }
}

extension WrapperTranslator {
    /// Every input as one `[[Swift.Float]]` argument, for models with more inputs than
    /// ``tensorArrayThreshold``.
    func tensorArrayInput(_ model: ParsedModel, diagnostics: inout Diagnostics) -> InputViewModel {
        let unsupported = model.inputs.indices.filter { ![.float32, .uint8, .int8, .int16, .int32].contains(model.inputs[$0].type) }
        if let first = unsupported.first {
            diagnostics.warning("\(unsupported.count) input(s) cannot be written from floats (the first: input \(first) of type \(model.inputs[first].type)); the wrapper reports an error for them at run time", context: model.fileName)
        }
        var lines = """
            The \(model.inputs.count) input tensors in order, each as its values in row-major order (quantized
            by the wrapper when the tensor is quantized): the model has more than \(Self.tensorArrayThreshold)
            inputs, so they are not properties of their own.
            """
        for (index, tensor) in model.inputs.enumerated().prefix(Self.tensorArrayThreshold) {
            lines += "\n- \(index): `\(tensor.name)`, \(Self.shapeText(tensor.shape)) \(tensor.type)"
        }
        if model.inputs.count > Self.tensorArrayThreshold { lines += "\n- …" }
        var plan = InputViewModel(name: "inputTensors", type: "[[Swift.Float]]", docLines: SwiftSource.docComment(lines), tensorIndex: 0, last: true,
                                  example: "inputTensors", summary: .cell("`[[Float]]`, the \(model.inputs.count) input tensors in order"))
        plan.isTensorArray = true
        return plan
    }

    /// `1 × 32 × 32 × 3`.
    static func shapeText(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: " × ")
    }

    /// `127.5` for one value (the same for every channel), `[123.675, 116.28, 103.53]` for several.
    static func floats(_ values: [Float]) -> String {
        values.count == 1 ? "\(values[0])" : "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
