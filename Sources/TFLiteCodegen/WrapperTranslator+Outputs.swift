import Foundation
import TFLiteMetadata
import TFLiteModel

extension WrapperTranslator {
    func planOutputs(_ model: ParsedModel, subgraph: SubGraphMetadata?, inputs: [InputViewModel], diagnostics: inout Diagnostics) -> [OutputViewModel] {
        let file = model.fileName
        let metas = subgraph?.outputTensorMetadata ?? []
        var plans: [OutputViewModel] = []
        var consumed = Set<Int>()
        let imageInput = inputs.first(where: \.isImage).map { model.inputs[$0.tensorIndex] }

        // Detection: the tensor with BoundingBoxProperties and its group (location, category, score) + number.
        if let location = metas.firstIndex(where: { if case .boundingBox? = $0.content?.contentProperties { true } else { false } }),
           model.outputs.indices.contains(location) {
            let locationMeta = metas[location]
            let context = "\(file): " + Self.context("output", location, locationMeta, model.outputs[location])
            let group = (subgraph?.outputTensorGroups ?? []).first { ($0.tensorNames ?? []).contains(locationMeta.name ?? "\u{0}") }
            let groupNames = group?.tensorNames ?? []
            func index(named names: [String], excluding: Set<Int>) -> Int? {
                for name in names {
                    if let i = metas.firstIndex(where: { $0.name == name }), !excluding.contains(i), model.outputs.indices.contains(i) { return i }
                }
                return nil
            }
            let others = groupNames.filter { $0 != locationMeta.name }
            let category = metas.firstIndex { meta in (meta.associatedFiles ?? []).contains { $0.type == .tensorValueLabels } }
                ?? index(named: ["category", "classes", "class"] + others.prefix(1), excluding: [location])
            let score = index(named: ["score", "scores"] + others.dropFirst().prefix(1), excluding: [location, category ?? -1])
            let number = metas.indices.first { i in
                ![location, category, score].contains(i) && model.outputs.indices.contains(i) && model.outputs[i].elementCount == 1
            }
            if let category, let score {
                let locTensor = model.outputs[location]
                let properties: BoundingBoxProperties
                if case .boundingBox(let p)? = locationMeta.content?.contentProperties { properties = p } else { properties = .init() }
                let boxIndex = (properties.index ?? [0, 1, 2, 3]).map(Int.init)
                var ok = true
                if locTensor.shape.last != 4 {
                    diagnostics.error("box locations need 4 values in the last dimension, but the tensor is \(locTensor.shape)", context: context)
                    ok = false
                }
                if boxIndex.sorted() != [0, 1, 2, 3] {
                    diagnostics.error("BoundingBoxProperties.index \(boxIndex) is not an order of 0, 1, 2, 3", context: context)
                    ok = false
                }
                let boxType: SwiftSource
                switch properties.type ?? .boundaries {
                case .boundaries, .unknown: boxType = "boundaries"
                case .upperLeft: boxType = "upperLeft"
                case .center: boxType = "center"
                }
                let coordinates: SwiftSource = (properties.coordinateType ?? .ratio) == .ratio ? "ratio" : "pixel"
                let boxes = locTensor.elementCount / 4
                for i in [category, score] where model.outputs[i].elementCount != boxes {
                    diagnostics.error("\(model.outputs[i].elementCount) values for \(boxes) boxes", context: "\(file): " + Self.context("output", i, metas[i], model.outputs[i]))
                    ok = false
                }
                let categoryContext = "\(file): " + Self.context("output", category, metas[category], model.outputs[category])
                let labelFiles = labelFileModels(metas[category], type: .tensorValueLabels, count: nil, model: model, context: categoryContext, diagnostics: &diagnostics)
                if ok {
                    let name = SwiftSource.memberName(group?.name, fallback: "detections")
                    var plan = OutputViewModel(name: name, type: "[TFLiteRuntime.Detection]", docLines: [], tensorIndex: location, last: false, summary: .cell(""))
                    plan.isDetection = true
                    plan.locationIndex = location
                    plan.categoryIndex = category
                    plan.scoreIndex = score
                    if let number {
                        plan.hasNumber = true
                        plan.numberIndex = number
                    }
                    plan.boxIndexLiteral = "\(boxIndex)"
                    plan.boxType = boxType
                    plan.coordinateType = coordinates
                    plan.labelFiles = labelFiles
                    plan.thresholdLiteral = threshold(metas[score]).map(SwiftSource.float) ?? "nil"
                    plan.inputWidth = imageInput?.shape[safe: 2] ?? 1
                    plan.inputHeight = imageInput?.shape[safe: 1] ?? 1
                    let labelText = labelFiles.first.map { _ in labelSummary(metas[category], type: .tensorValueLabels, model: model) } ?? "no labels"
                    let tensorsText = [location, category, score].map { "`\(metas[$0].name ?? model.outputs[$0].name)`" }.joined(separator: ", ")
                        + (number.map { " and `\(metas[$0].name ?? model.outputs[$0].name)`" } ?? "")
                    let ratio = coordinates == "ratio"
                    plan.summary = .cell("`[Detection]`, up to \(boxes), boxes \(boxType) \(boxIndex) as \(ratio ? "ratios" : "pixels"), \(labelText)")
                    let locationDescription = SwiftSource.docComment(locationMeta.description)
                    plan.docLines = locationDescription + (locationDescription.isEmpty ? [] : ["///"]) + SwiftSource.docComment("""
                        Up to \(boxes) detections, best first, from \(tensorsText).
                        Boxes are \(properties.type?.rawValue ?? "BOUNDARIES") in order \(boxIndex) as \(ratio ? "ratios of the image size" : "pixels of the \(plan.inputWidth) × \(plan.inputHeight) input"),
                        returned in the coordinates of the image passed in; categories from \(labelText).
                        """)
                    plans.append(plan)
                }
                consumed.formUnion([location, category, score])
                if let number { consumed.insert(number) }
            } else {
                diagnostics.error("a detection output needs category and score tensors beside the locations (name them, or group them in output_tensor_groups)", context: context)
                consumed.insert(location)
            }
        }

        for (index, tensor) in model.outputs.enumerated() where !consumed.contains(index) {
            let meta = metas[safe: index]
            let context = "\(file): " + Self.context("output", index, meta, tensor)
            if var plan = planOutput(index: index, tensor: tensor, meta: meta, model: model, context: context, diagnostics: &diagnostics) {
                if plan.isSegmentation, let imageInput {
                    // The mask maps back through the image input's transform.
                    plan.inputWidth = imageInput.shape[safe: 2] ?? 1
                    plan.inputHeight = imageInput.shape[safe: 1] ?? 1
                }
                plans.append(plan)
            }
        }
        return plans
    }

    private func planOutput(index: Int, tensor: ParsedModel.TensorInfo, meta: TensorMetadata?, model: ParsedModel,
                            context: String, diagnostics: inout Diagnostics) -> OutputViewModel? {
        let description = SwiftSource.docComment(meta?.description)
        let lead = description + (description.isEmpty ? [] : ["///"])
        let shapeText = "\(Self.shapeText(tensor.shape)) \(tensor.type)\(tensor.isQuantized ? " (dequantized)" : "")"
        let files = meta?.associatedFiles ?? []
        let hasAxisLabels = files.contains { $0.type == .tensorAxisLabels }
        var calibration: ScoreCalibrationOptions?
        for unit in meta?.processUnits ?? [] {
            if case .scoreCalibration(let options)? = unit.options { calibration = options }
        }
        var plan = OutputViewModel(name: "", type: "", docLines: [], tensorIndex: index, last: false, summary: .cell(""))
        let fallback: StaticString

        switch meta?.content?.contentProperties {
        case .image(let properties)?:
            fallback = "mask"
            guard (tensor.shape.count == 4 || tensor.shape.count == 3), tensor.shape[0] == 1 else {
                diagnostics.error("a segmentation mask needs shape [1, height, width, classes] or [1, height, width], but the tensor is \(tensor.shape)", context: context)
                return nil
            }
            if properties.colorSpace != .grayscale {
                diagnostics.warning("an image output is read as a segmentation mask (colour space \(properties.colorSpace?.rawValue ?? "unset"), GRAYSCALE expected)", context: context)
            }
            let classes = tensor.shape.count == 4 ? tensor.shape[3] : nil
            let confidence = classes == 1
            plan.isSegmentation = true
            plan.type = "TFLiteRuntime.SegmentationMask"
            plan.labelFiles = labelFileModels(meta, type: .tensorAxisLabels, count: classes, model: model, context: context, diagnostics: &diagnostics)
            plan.labelCountLiteral = classes.map { "\($0)" } ?? "nil"
            let labelText = hasAxisLabels ? labelSummary(meta, type: .tensorAxisLabels, model: model) : "no labels"
            let size = "\(tensor.shape[2]) × \(tensor.shape[1])"
            plan.summary = .cell(confidence
                ? "`SegmentationMask`, \(size) confidences"
                : "`SegmentationMask`, \(size)\(classes.map { ", \($0) classes" } ?? ""), \(labelText)")
            let mapping = "`imageMask()` maps it onto the image passed in (crop and letterbox undone)"
            plan.docLines = lead + SwiftSource.docComment(confidence
                ? """
                A \(size) confidence mask: one value a pixel (`confidences`), as the model's one channel gives it;
                output tensor `\(tensor.name)`: \(shapeText).
                \(mapping).
                """
                : """
                A \(size) category mask: the class of each pixel (the highest of \(classes.map(String.init) ?? "the") scores),
                labelled from \(labelText); output tensor `\(tensor.name)`: \(shapeText).
                \(mapping).
                """)
        case .audio?, .boundingBox?:
            diagnostics.error("unknown content for an output: \(meta?.content?.contentProperties.map { "\($0)" }?.components(separatedBy: "(").first ?? "?") is not supported here", context: context)
            return nil
        case .feature?, nil:
            if hasAxisLabels || calibration != nil {
                fallback = "probability"
                let classes = tensor.shape.last ?? 1
                guard tensor.elementCount == classes else {
                    diagnostics.error("a classification output needs shape [1, classes], but the tensor is \(tensor.shape)", context: context)
                    return nil
                }
                plan.isClassification = true
                plan.type = "[TFLiteRuntime.Category]"
                plan.labelFiles = labelFileModels(meta, type: .tensorAxisLabels, count: classes, model: model, context: context, diagnostics: &diagnostics)
                plan.labelCountLiteral = "\(classes)"
                let scoreThreshold = threshold(meta)
                plan.thresholdLiteral = scoreThreshold.map(SwiftSource.float) ?? "nil"
                var calibrationText: String?
                if let calibration {
                    let calibrationFile = files.first { $0.type == .tensorAxisScoreCalibration }
                    if let name = requirePacked(calibrationFile?.name, in: model, context: context, what: "score calibration file", diagnostics: &diagnostics) {
                        checkCalibration(model.packedText(name) ?? "", file: name, classes: classes, context: context, diagnostics: &diagnostics)
                        plan.hasCalibration = true
                        plan.calibrationFileLiteral = SwiftSource.stringLiteral(name)
                        let transformation: SwiftSource
                        switch calibration.scoreTransformation ?? .identity {
                        case .identity: transformation = "identity"
                        case .log: transformation = "log"
                        case .inverseLogistic: transformation = "inverseLogistic"
                        }
                        plan.calibrationTransformation = transformation
                        plan.calibrationDefaultScore = SwiftSource.float(calibration.defaultScore ?? 0)
                        calibrationText = "calibrated with \(name) (\(calibration.scoreTransformation?.rawValue ?? "IDENTITY"), default score \(calibration.defaultScore ?? 0))"
                    }
                }
                let labelText = hasAxisLabels ? labelSummary(meta, type: .tensorAxisLabels, model: model) : "no labels"
                let kind = meta?.name?.lowercased().contains("prob") == true ? "probabilities" : "scores"
                plan.summary = .cell("`[Category]`, \(Self.shapeText(tensor.shape)) \(kind) over \(labelText)")
                plan.docLines = lead + SwiftSource.docComment("\(Self.shapeText(tensor.shape)) \(kind) over \(labelText), best first.")
                if let calibrationText { plan.docLines += SwiftSource.docComment("Scores are \(calibrationText).") }
                if let scoreThreshold { plan.docLines += SwiftSource.docComment("Scores below \(scoreThreshold) are dropped.") }
                plan.docLines += SwiftSource.docComment("Output tensor `\(tensor.name)`: \(shapeText).")
            } else {
                fallback = meta == nil ? "output" : "features"
                guard let scalar = SwiftSource.scalarType(tensor.type) else {
                    diagnostics.error("output of type \(tensor.type) is not supported by generated wrappers", context: context)
                    return nil
                }
                if tensor.type == .float32 || tensor.isQuantized {
                    plan.isFloatTensor = true
                    plan.type = "TFLiteRuntime.ShapedArray<Swift.Float>"
                } else {
                    plan.isValuesTensor = true
                    plan.scalarType = scalar
                    plan.type = "TFLiteRuntime.ShapedArray<\(scalar)>"
                }
                plan.summary = .cell("`\(plan.type.text.replacingOccurrences(of: "Swift.", with: "").replacingOccurrences(of: "TFLiteRuntime.", with: ""))`, \(shapeText)")
                plan.docLines = lead + SwiftSource.docComment("Output tensor `\(tensor.name)`: \(shapeText).")
            }
        }
        // Without metadata for the tensor, the graph's own tensor name (`output_iris` → `outputIris`).
        plan.name = meta.map { SwiftSource.memberName($0.name, fallback: fallback) } ?? SwiftSource.memberName(graphTensorName: tensor.name, fallback: fallback)
        return plan
    }

    /// Every output as one `[TFLiteRuntime.ShapedArray<Swift.Float>]` property (dequantized), for
    /// models with more outputs than ``tensorArrayThreshold``.
    func tensorArrayOutput(_ model: ParsedModel, diagnostics: inout Diagnostics) -> OutputViewModel {
        var lines = """
            The \(model.outputs.count) output tensors in order, as floats (dequantized when quantized): the
            model has more than \(Self.tensorArrayThreshold) outputs, so they are not properties of their own.
            """
        for (index, tensor) in model.outputs.enumerated().prefix(Self.tensorArrayThreshold) {
            lines += "\n- \(index): `\(tensor.name)`, \(Self.shapeText(tensor.shape)) \(tensor.type)"
        }
        if model.outputs.count > Self.tensorArrayThreshold { lines += "\n- …" }
        var plan = OutputViewModel(name: "outputTensors", type: "[TFLiteRuntime.ShapedArray<Swift.Float>]", docLines: SwiftSource.docComment(lines),
                                   tensorIndex: 0, last: true, summary: .cell("`[ShapedArray<Float>]`, the \(model.outputs.count) output tensors in order"))
        plan.isTensorArray = true
        return plan
    }

    /// The label files of `type` on `meta`, each checked to be packed and to have `count` lines.
    func labelFileModels(_ meta: TensorMetadata?, type: AssociatedFileType, count: Int?, model: ParsedModel,
                         context: String, diagnostics: inout Diagnostics) -> [LabelFileViewModel] {
        let files = (meta?.associatedFiles ?? []).filter { $0.type == type }
        var result: [LabelFileViewModel] = []
        for (i, file) in files.enumerated() {
            guard let name = requirePacked(file.name, in: model, context: context, what: "label file", diagnostics: &diagnostics) else { continue }
            let labels = LabelLines.parse(model.packedText(name) ?? "")
            if let count, labels.count != count {
                diagnostics.error("\(name) has \(labels.count) labels but the tensor's class axis has \(count) entries", context: context)
            }
            result.append(LabelFileViewModel(fileLiteral: SwiftSource.stringLiteral(name), localeLiteral: SwiftSource.optionalStringLiteral(file.locale),
                                             last: i == files.count - 1))
        }
        if let last = result.indices.last { result[last].last = true }
        return result
    }

    /// `labels.txt (5 labels)`, with the other locales.
    func labelSummary(_ meta: TensorMetadata?, type: AssociatedFileType, model: ParsedModel) -> String {
        let files = (meta?.associatedFiles ?? []).filter { $0.type == type }
        guard let first = files.first, let name = first.name else { return "no labels" }
        let count = LabelLines.parse(model.packedText(name) ?? "").count
        var text = "\(name) (\(count) label\(count == 1 ? "" : "s"))"
        let locales = files.compactMap(\.locale)
        if !locales.isEmpty { text += ", locales \(locales.joined(separator: ", "))" }
        return text
    }

    func threshold(_ meta: TensorMetadata?) -> Float? {
        for unit in meta?.processUnits ?? [] {
            if case .scoreThresholding(let options)? = unit.options { return options.globalScoreThreshold }
        }
        return nil
    }

    /// Checks a score calibration file as the runtime reads it (`TFLiteModel.ScoreCalibrationFile`,
    /// the rule `tflmeta validate` checks too).
    func checkCalibration(_ text: String, file: String, classes: Int, context: String, diagnostics: inout Diagnostics) {
        for problem in ScoreCalibrationFile(text: text).check(classes: classes) {
            diagnostics.error("\(file) \(problem)", context: context)
        }
    }
}
