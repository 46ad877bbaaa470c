import TFLiteMetadata
import TFLiteModel

extension WrapperTranslator {
    /// The wrapper's `static let modelDescription`: a `TFLiteRuntime.ModelDescription` literal
    /// with the metadata's name, description, version, author and license and each argument and
    /// output (tensors, shape, type, description, image size). Model text enters only as string
    /// literals.
    func modelDescriptionLiteral(_ model: ParsedModel, title: String, inputs: [InputViewModel], outputs: [OutputViewModel]) -> SwiftSource {
        let metadata = model.metadata
        let subgraph = metadata?.subgraphMetadata?.first
        let inputMetas = subgraph?.inputTensorMetadata ?? []
        let outputMetas = subgraph?.outputTensorMetadata ?? []
        let description = metadata?.description ?? model.description

        let inputFeatures = inputs.map { plan -> SwiftSource in
            if plan.isTensorArray {
                return Self.featureLiteral(name: plan.name, tensors: [], model.inputs, metas: inputMetas, imageSize: nil)
            }
            let indices = plan.isBertText ? [plan.idsIndex, plan.maskIndex, plan.segmentIdsIndex] : [plan.tensorIndex]
            var imageSize: (width: Int, height: Int)?
            if plan.isImage, let tensor = model.inputs[safe: plan.tensorIndex], tensor.shape.count == 4 {
                imageSize = (tensor.shape[2], tensor.shape[1])
            }
            return Self.featureLiteral(name: plan.name, tensors: indices, model.inputs, metas: inputMetas, imageSize: imageSize)
        }
        let outputFeatures = outputs.map { plan -> SwiftSource in
            if plan.isTensorArray {
                return Self.featureLiteral(name: plan.name, tensors: [], model.outputs, metas: outputMetas, imageSize: nil)
            }
            let indices = plan.isDetection
                ? [plan.locationIndex, plan.categoryIndex, plan.scoreIndex] + (plan.hasNumber ? [plan.numberIndex] : [])
                : [plan.tensorIndex]
            return Self.featureLiteral(name: plan.name, tensors: indices, model.outputs, metas: outputMetas, imageSize: nil)
        }
        let name = SwiftSource.stringLiteral(title)
        let file = SwiftSource.stringLiteral(model.fileName)
        let summary = SwiftSource.optionalStringLiteral(description.flatMap { $0.isEmpty ? nil : $0 })
        let version = SwiftSource.optionalStringLiteral(metadata?.version)
        let author = SwiftSource.optionalStringLiteral(metadata?.author)
        let license = SwiftSource.optionalStringLiteral(metadata?.license)
        let inputList = SwiftSource.joined(inputFeatures, separator: ",\n            ")
        let outputList = SwiftSource.joined(outputFeatures, separator: ",\n            ")
        return """
            TFLiteRuntime.ModelDescription(
                    name: \(name), modelFileName: \(file),
                    summary: \(summary),
                    version: \(version), author: \(author), license: \(license),
                    inputs: [
                        \(inputList),
                    ],
                    outputs: [
                        \(outputList),
                    ])
            """
    }

    /// One `TFLiteRuntime.ModelDescription.Feature(…)`; no tensors for a tensor array (the model
    /// may have thousands).
    private static func featureLiteral(name: SwiftSource, tensors indices: [Int], _ tensors: [ParsedModel.TensorInfo],
                                       metas: [TensorMetadata], imageSize: (width: Int, height: Int)?) -> SwiftSource {
        let known = indices.filter { tensors.indices.contains($0) }
        let names = SwiftSource.joined(known.map { SwiftSource.stringLiteral(tensors[$0].name) })
        let first = known.first.map { tensors[$0] }
        let shape = first?.shape ?? []
        let type = SwiftSource.stringLiteral(first.map { "\($0.type)" } ?? "float32")
        let summary = SwiftSource.optionalStringLiteral(known.first.flatMap { metas[safe: $0]?.description }.flatMap { $0.isEmpty ? nil : $0 })
        let size: SwiftSource = imageSize.map { "TFLiteRuntime.ModelDescription.ImageSize(width: \($0.width), height: \($0.height))" } ?? "nil"
        return """
            TFLiteRuntime.ModelDescription.Feature(
                            name: \(SwiftSource.stringLiteral(name.text)), tensorNames: [\(names)], shape: \(shape), dataType: \(type),
                            summary: \(summary), imageSize: \(size))
            """
    }

    /// `["probability": probabilityClassifier.labels, …]`: the labels each labelled output loads.
    func labelsLiteral(_ outputs: [OutputViewModel]) -> SwiftSource {
        let entries = outputs.compactMap { plan -> SwiftSource? in
            guard !plan.labelFiles.isEmpty else { return nil }
            let key = SwiftSource.stringLiteral(plan.name.text)
            if plan.isClassification { return "\(key): \(plan.name.appending("Classifier")).labels" }
            if plan.isDetection { return "\(key): \(plan.name.appending("Decoder")).classifier.labels" }
            if plan.isSegmentation { return "\(key): \(plan.name.appending("Labels"))" }
            return nil
        }
        return entries.isEmpty ? "[:]" : "[\(SwiftSource.joined(entries))]"
    }
}
