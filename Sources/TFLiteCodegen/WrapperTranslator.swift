import Foundation
import TFLiteMetadata
import TFLiteModel

/// Stage 2: decides the wrapper from the model and its metadata, checking that they agree.
/// Problems with a tensor are collected as error diagnostics naming it.
struct WrapperTranslator {
    var configuration: GeneratorConfiguration

    /// A tensor's place, for messages: `output tensor 0 "probability" (StatefulPartitionedCall:0)`.
    static func context(_ role: String, _ index: Int, _ meta: TensorMetadata?, _ tensor: ParsedModel.TensorInfo) -> String {
        if let name = meta?.name, name != tensor.name {
            return "\(role) tensor \(index) \"\(name)\" (\(tensor.name))"
        }
        return "\(role) tensor \(index) \"\(tensor.name)\""
    }

    func translate(_ model: ParsedModel, diagnostics: inout Diagnostics) throws(CodegenError) -> WrapperViewModel {
        let file = model.fileName
        let metadata = model.metadata
        let subgraph = metadata?.subgraphMetadata?.first
        let stem = (file as NSString).deletingPathExtension

        let className: String
        if let requested = configuration.className {
            guard let first = requested.first, first.isLetter || first == "_",
                  requested.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                  !Naming.keywords.contains(requested) else {
                throw CodegenError(file: file, field: "--class-name", reason: "\"\(requested)\" is not a valid Swift type name")
            }
            className = requested
        } else {
            className = Naming.upperCamel(metadata?.name ?? "") ?? Naming.upperCamel(stem) ?? "Model"
        }

        if metadata == nil {
            diagnostics.warning("the model has no metadata: generated a generic wrapper over typed tensors. Metadata would add argument names, image preprocessing (size, colour space, normalization), text tokenization, labels, score calibration and detection decoding (add it with `tflmeta populate`).", context: file)
        }

        let inputMeta = subgraph?.inputTensorMetadata ?? []
        let outputMeta = subgraph?.outputTensorMetadata ?? []
        if subgraph != nil {
            if inputMeta.count != model.inputs.count {
                diagnostics.error("the metadata describes \(inputMeta.count) input tensor(s) but the model has \(model.inputs.count) (\(model.inputs.map(\.name).joined(separator: ", ")))", context: "\(file): subgraph_metadata[0].input_tensor_metadata")
            }
            if outputMeta.count != model.outputs.count {
                diagnostics.error("the metadata describes \(outputMeta.count) output tensor(s) but the model has \(model.outputs.count) (\(model.outputs.map(\.name).joined(separator: ", ")))", context: "\(file): subgraph_metadata[0].output_tensor_metadata")
            }
        }
        if diagnostics.hasErrors {
            throw CodegenError(file: file, diagnostics: diagnostics.errors)
        }

        var inputPlans = planInputs(model, subgraph: subgraph, diagnostics: &diagnostics)
        var outputPlans = planOutputs(model, subgraph: subgraph, inputs: inputPlans, diagnostics: &diagnostics)

        // Names: inputs then outputs, unique together.
        let names = Naming.uniqued(inputPlans.map(\.baseName) + outputPlans.map(\.baseName))
        for i in inputPlans.indices {
            inputPlans[i].baseName = names[i]
            inputPlans[i].name = Naming.escaped(names[i])
            inputPlans[i].last = i == inputPlans.count - 1
        }
        for i in outputPlans.indices {
            outputPlans[i].baseName = names[inputPlans.count + i]
            outputPlans[i].name = Naming.escaped(names[inputPlans.count + i])
            outputPlans[i].last = i == outputPlans.count - 1
        }
        // Detections read the image argument's size: fix up the name after renaming.
        if let image = inputPlans.first(where: \.isImage) {
            for i in outputPlans.indices where outputPlans[i].isDetection {
                outputPlans[i].imageInputName = image.name
                outputPlans[i].hasImageInput = true
            }
        }

        var docLines: [String] = []
        let title = metadata?.name ?? stem
        docLines.append("/// \(title): a typed wrapper for \(file).")
        let description = metadata?.description ?? model.description
        if let description, !description.isEmpty {
            docLines.append("///")
            docLines += SwiftLiteral.docLines(description)
        }
        var facts: [String] = []
        if let version = metadata?.version { facts.append("Version: \(version)") }
        if let author = metadata?.author { facts.append("Author: \(author)") }
        if let license = metadata?.license { facts.append("License: \(license)") }
        if !facts.isEmpty {
            docLines.append("///")
            docLines += facts.map { "/// - \($0)" }
        }

        let locales = (subgraph?.outputTensorMetadata ?? []).flatMap { ($0.associatedFiles ?? []).compactMap(\.locale) }
        var uniqueLocales: [String] = []
        for locale in locales where !uniqueLocales.contains(locale) { uniqueLocales.append(locale) }

        var noMetadataLines: [String] = []
        if metadata == nil {
            noMetadataLines = [
                "// \(file) has no TFLite metadata, so this wrapper takes and returns plain tensors.",
                "// Metadata would add: argument names and descriptions, image preprocessing (size, colour",
                "// space, normalization), text tokenization, labels, score calibration and detection",
                "// decoding. Add it with `tflmeta populate` and regenerate.",
            ]
        }

        let arguments = inputPlans.map { "\($0.name): \($0.example)" }.joined(separator: ", ")
        var snippet = [
            "import Foundation",
            "import TFLiteRuntime",
            "",
            "let model = try \(className)(contentsOf: URL(fileURLWithPath: \(SwiftLiteral.string(file))))",
            "let output = try model.prediction(\(arguments))",
        ]
        for output in outputPlans { snippet.append("print(output.\(output.name))") }

        return WrapperViewModel(
            header: "// Generated by tflcodegen from \(file); do not edit.",
            modelFileName: file,
            resourceName: stem,
            className: className,
            inputType: className + "Input",
            outputType: className + "Output",
            access: configuration.accessModifier,
            bundle: configuration.resourceBundle == .module ? "Bundle.module" : "Bundle.main",
            apiVersion: 1,
            docLines: docLines,
            hasMetadata: metadata != nil,
            noMetadataLines: noMetadataLines,
            inputs: inputPlans,
            outputs: outputPlans,
            inputCount: model.inputs.count,
            outputCount: model.outputs.count,
            localesText: uniqueLocales.joined(separator: ", "),
            hasLocales: !uniqueLocales.isEmpty,
            title: className,
            descriptionText: description ?? "",
            hasDescription: !(description ?? "").isEmpty,
            snippetLines: snippet,
            diagnostics: diagnostics.all.filter { $0.severity != .error }.map(\.description),
            hasDiagnostics: diagnostics.all.contains { $0.severity != .error }
        )
    }

    /// Checks that `name` is packed; an error naming `context` otherwise.
    func requirePacked(_ name: String?, in model: ParsedModel, context: String, what: String, diagnostics: inout Diagnostics) -> String? {
        guard let name, !name.isEmpty else {
            diagnostics.error("\(what) names no file", context: context)
            return nil
        }
        guard model.packedFileNames.contains(name) else {
            diagnostics.error("\(what) \"\(name)\" is not packed in the model (packed: \(model.packedFileNames.sorted().joined(separator: ", ")))", context: context)
            return nil
        }
        return name
    }
}

extension ParsedModel {
    /// The model's own description (from the model FlatBuffer), used when metadata has none.
    var description: String? { nil }
}
