import Foundation
import TFLiteMetadata
import TFLiteModel

/// Stage 2: decides the wrapper from the model and its metadata, checking that they agree.
/// Problems with a tensor are collected as error diagnostics naming it.
struct WrapperTranslator {
    var configuration: GeneratorConfiguration
    /// Whether the tensor metadata is used; false when it was found not to fit the model, and
    /// the generic wrapper is made instead (the model-level name, description and facts stay).
    var usesTensorMetadata = true

    /// A tensor's place, for messages: `output tensor 0 "probability" (StatefulPartitionedCall:0)`.
    static func context(_ role: String, _ index: Int, _ meta: TensorMetadata?, _ tensor: ParsedModel.TensorInfo) -> String {
        if let name = meta?.name, name != tensor.name {
            return "\(role) tensor \(index) \"\(name)\" (\(tensor.name))"
        }
        return "\(role) tensor \(index) \"\(tensor.name)\""
    }

    /// Above this many inputs (or outputs), the wrapper takes (or returns) them as one array
    /// instead of a property each, so the generated code stays small and compiles in seconds
    /// whatever the model declares.
    static let tensorArrayThreshold = 64

    func translate(_ model: ParsedModel, diagnostics: inout Diagnostics) throws(CodegenError) -> WrapperViewModel {
        let file = model.fileName
        let metadata = model.metadata
        var subgraph = usesTensorMetadata ? metadata?.subgraphMetadata?.first : nil
        let genericWrapper = metadata == nil || !usesTensorMetadata
        let stem = (file as NSString).deletingPathExtension

        let className: SwiftSource
        if let requested = configuration.className {
            guard let valid = SwiftSource.validatedTypeName(requested) else {
                throw CodegenError(file: file, field: "--class-name", reason: "\"\(DisplayText.quoted(requested))\" is not a valid Swift type name (letters, digits and _, not starting with a digit, not a keyword nor the name of a module or type the wrapper uses)")
            }
            className = valid
        } else if configuration.nameFromFile {
            className = SwiftSource.typeName(forModelFile: file)
        } else {
            className = SwiftSource.typeName(metadata?.name) ?? SwiftSource.typeName(forModelFile: file)
        }

        if metadata == nil && configuration.metadataUse != .ignore {
            diagnostics.warning("the model has no metadata: generated a generic wrapper over typed tensors. Metadata would add argument names, image preprocessing (size, colour space, normalization), text tokenization, labels, score calibration and detection decoding (add it with `tflmeta populate`).", context: file)
        }

        let inputMeta = subgraph?.inputTensorMetadata ?? []
        let outputMeta = subgraph?.outputTensorMetadata ?? []
        if subgraph != nil {
            if inputMeta.count != model.inputs.count {
                diagnostics.error("the metadata describes \(inputMeta.count) input tensor(s) but the model has \(model.inputs.count) (\(Self.tensorList(model.inputs)))", context: "\(file): subgraph_metadata[0].input_tensor_metadata")
            }
            if outputMeta.count != model.outputs.count {
                diagnostics.error("the metadata describes \(outputMeta.count) output tensor(s) but the model has \(model.outputs.count) (\(Self.tensorList(model.outputs)))", context: "\(file): subgraph_metadata[0].output_tensor_metadata")
            }
        }
        // Tensors cannot be matched with metadata of another count: the errors above say so, and
        // nothing more is read from it.
        if diagnostics.hasErrors { subgraph = nil }

        var inputPlans: [InputViewModel]
        if model.inputs.count > Self.tensorArrayThreshold {
            inputPlans = [tensorArrayInput(model, diagnostics: &diagnostics)]
        } else {
            inputPlans = planInputs(model, subgraph: subgraph, diagnostics: &diagnostics)
        }
        var outputPlans: [OutputViewModel]
        if model.outputs.count > Self.tensorArrayThreshold {
            outputPlans = [tensorArrayOutput(model, diagnostics: &diagnostics)]
        } else {
            outputPlans = planOutputs(model, subgraph: subgraph, inputs: inputPlans, diagnostics: &diagnostics)
        }

        // Metadata set aside as not fitting does not name the tensors either: MediaPipe's
        // hand_landmark puts `handedness` on its 63 landmark coordinates.

        // Names: inputs then outputs, unique together.
        let names = SwiftSource.uniquedMemberNames(inputPlans.map(\.name) + outputPlans.map(\.name))
        for i in inputPlans.indices {
            inputPlans[i].name = names[i]
            inputPlans[i].nameLiteral = SwiftSource.stringLiteral(names[i].text)
            inputPlans[i].last = i == inputPlans.count - 1
        }
        for i in outputPlans.indices {
            outputPlans[i].name = names[inputPlans.count + i]
            outputPlans[i].last = i == outputPlans.count - 1
        }
        // Detections and masks read the image argument's transform: fix up the name after renaming.
        if let image = inputPlans.first(where: \.isImage) {
            for i in outputPlans.indices where outputPlans[i].isDetection || outputPlans[i].isSegmentation {
                outputPlans[i].imageInputName = image.name
                outputPlans[i].hasImageInput = true
            }
        }

        // An empty (or blank) metadata name falls back to the file name.
        let title = metadata?.name.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } ?? stem
        var docLines = SwiftSource.docComment("\(title): a typed wrapper for \(file).")
        let description = metadata?.description ?? model.description
        if let description, !description.isEmpty {
            docLines.append("///")
            docLines += SwiftSource.docComment(description)
        }
        var facts: [String] = []
        if let version = metadata?.version { facts.append("Version: \(version)") }
        if let author = metadata?.author { facts.append("Author: \(author)") }
        if let license = metadata?.license { facts.append("License: \(license)") }
        if !facts.isEmpty {
            docLines.append("///")
            for fact in facts { docLines += SwiftSource.docComment("- " + fact) }
        }

        let locales = (subgraph?.outputTensorMetadata ?? []).flatMap { ($0.associatedFiles ?? []).compactMap(\.locale) }
        var uniqueLocales: [String] = []
        for locale in locales where !uniqueLocales.contains(locale) { uniqueLocales.append(locale) }

        var headerLines = SwiftSource.lineComment("""
            Generated by tflcodegen from \(file); do not edit.

            A typed wrapper for \(file) over TFLiteRuntime. Regenerate it with
            `tflcodegen \(file) -o DIR` (or the TFLiteCodegenPlugin build plugin).
            """)
        if genericWrapper {
            if metadata == nil && configuration.metadataUse != .ignore {
                headerLines += SwiftSource.lineComment("""
                    \(file) has no TFLite metadata, so this wrapper takes and returns plain tensors.
                    Metadata would add: argument names and descriptions, image preprocessing (size, colour
                    space, normalization), text tokenization, labels, score calibration and detection
                    decoding. Add it with `tflmeta populate` and regenerate.
                    """)
            } else if configuration.metadataUse == .ignore {
                headerLines += SwiftSource.lineComment("""
                    Generated ignoring \(file)'s metadata (--ignore-metadata): this wrapper takes and
                    returns plain tensors.
                    """)
            } else {
                headerLines += SwiftSource.lineComment("""
                    \(file)'s metadata does not fit the model (tflcodegen's warnings say where), so this
                    wrapper takes and returns plain tensors, named from the graph's tensor names.
                    Fix the metadata (`tflmeta populate`, `tflmeta validate`) and regenerate for typed
                    images, labels and detections.
                    """)
            }
        }

        let fileLiteral = SwiftSource.stringLiteral(file)
        let arguments = SwiftSource.joined(inputPlans.map { "\($0.name): \($0.example)" })
        var snippet: [SwiftSource] = [
            "import Foundation",
            "import TFLiteRuntime",
            "",
            "let model = try await \(className).load(contentsOf: Foundation.URL(fileURLWithPath: \(fileLiteral)))",
            "let output = try await model.prediction(\(arguments))",
        ]
        for output in outputPlans { snippet.append("print(output.\(output.name))") }

        let bundle: SwiftSource = configuration.resourceBundle == .module ? "Foundation.Bundle.module" : "Foundation.Bundle.main"
        return WrapperViewModel(
            headerLines: headerLines,
            modelFileNameLiteral: fileLiteral,
            resourceNameLiteral: SwiftSource.stringLiteral(stem),
            className: className,
            inputType: "\(className)Input",
            outputType: "\(className)Output",
            access: configuration.accessModifier.keyword,
            bundle: bundle,
            apiVersion: GeneratedCodeAPI.version,
            docLines: docLines,
            resourceInitDocLines: SwiftSource.docComment("Loads `\(file)` bundled as a resource (\(bundle.text))."),
            localeDocLines: SwiftSource.docComment("The locale of label display names\(uniqueLocales.isEmpty ? "" : " (available: \(uniqueLocales.joined(separator: ", ")))"); nil: the first label file."),
            hasMetadata: !genericWrapper,
            inputs: inputPlans,
            outputs: outputPlans,
            modelDescriptionLiteral: modelDescriptionLiteral(model, title: title, inputs: inputPlans, outputs: outputPlans),
            labelsLiteral: labelsLiteral(outputPlans),
            inputCount: model.inputs.count,
            outputCount: model.outputs.count,
            title: MarkdownText.cell(className.text),
            modelFileNameText: MarkdownText.cell(file),
            descriptionText: MarkdownText.paragraph(description ?? ""),
            hasDescription: !(description ?? "").isEmpty,
            snippetLines: snippet,
            diagnostics: diagnostics.all.filter { $0.severity != .error }.map { MarkdownText.cell($0.description) },
            hasDiagnostics: diagnostics.all.contains { $0.severity != .error }
        )
    }

    /// `a, b, c` (the first 10 tensor names), for messages.
    static func tensorList(_ tensors: [ParsedModel.TensorInfo]) -> String {
        tensors.prefix(10).map(\.name).joined(separator: ", ") + (tensors.count > 10 ? ", …" : "")
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
