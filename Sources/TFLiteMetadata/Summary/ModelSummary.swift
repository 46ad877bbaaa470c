#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A human-readable summary of a model file: what `tflmeta show` prints.
public struct ModelSummary: Sendable {
    /// Text styles, applied only when the output is a terminal.
    public struct Style: Sendable {
        /// Styles the file name and section titles.
        public var heading: @Sendable (String) -> String
        /// Styles secondary details (sizes, counts, "no metadata").
        public var dim: @Sendable (String) -> String
        /// Styles names of signatures and tensors.
        public var name: @Sendable (String) -> String

        /// No styling, for files and pipes.
        public static let plain = Style(heading: { $0 }, dim: { $0 }, name: { $0 })
        /// ANSI bold headings, faint details and cyan names.
        public static let terminal = Style(
            heading: { "\u{1B}[1m\($0)\u{1B}[0m" },
            dim: { "\u{1B}[2m\($0)\u{1B}[0m" },
            name: { "\u{1B}[36m\($0)\u{1B}[0m" })

        /// Creates a style from the three text transforms.
        public init(heading: @escaping @Sendable (String) -> String, dim: @escaping @Sendable (String) -> String,
                    name: @escaping @Sendable (String) -> String) {
            self.heading = heading
            self.dim = dim
            self.name = name
        }
    }

    let file: ModelFile
    let metadata: ModelMetadata?

    /// Prepares a summary; fails only if the metadata buffer is invalid.
    public init(file: ModelFile) throws(ModelError) {
        self.file = file
        self.metadata = try file.metadata()
    }

    /// Renders the summary.
    public func render(style: Style = .plain) -> String {
        var out: [String] = []
        let model = file.model
        out.append(style.heading(safe(file.path)) + style.dim("  (\(formatBytes(model.storage.count)), TFLite schema v\(model.version))"))
        if let description = model.description, !description.isEmpty {
            out.append("Converter: \(safe(description))")
        }
        if let runtime = model.minRuntimeVersion(), !runtime.isEmpty {
            out.append("Min runtime version: \(safe(runtime))")
        }

        if let metadata {
            out.append("")
            out.append(style.heading("Metadata"))
            appendField(&out, "Name", metadata.name)
            appendField(&out, "Description", metadata.description)
            appendField(&out, "Version", metadata.version)
            appendField(&out, "Author", metadata.author)
            appendField(&out, "License", metadata.license)
            appendField(&out, "Min parser version", metadata.minParserVersion)
            for file in metadata.associatedFiles ?? [] {
                out.append("  File: \(describe(file))")
            }
        } else {
            out.append("")
            out.append(style.dim("No metadata (no \(Model.metadataEntryName) entry)."))
        }

        for (index, subgraph) in model.subgraphs.enumerated() {
            let subgraphMetadata = metadata?.subgraphMetadata?.indices.contains(index) == true ? metadata?.subgraphMetadata?[index] : nil
            out.append("")
            var title = "Subgraph \(index)"
            if let name = subgraph.name, !name.isEmpty { title += " \"\(safe(name))\"" }
            out.append(style.heading(title) + style.dim("  \(subgraph.operators.count) operators, \(subgraph.tensors.count) tensors"))
            out.append("  Inputs:")
            for (position, tensorIndex) in subgraph.inputs.enumerated() {
                out.append(contentsOf: describeTensor(subgraph, tensorIndex, position: position,
                                                      metadata: subgraphMetadata?.inputTensorMetadata, style: style))
            }
            out.append("  Outputs:")
            for (position, tensorIndex) in subgraph.outputs.enumerated() {
                out.append(contentsOf: describeTensor(subgraph, tensorIndex, position: position,
                                                      metadata: subgraphMetadata?.outputTensorMetadata, style: style))
            }
            for unit in subgraphMetadata?.inputProcessUnits ?? [] { out.append("  Input process unit: \(describe(unit))") }
            for unit in subgraphMetadata?.outputProcessUnits ?? [] { out.append("  Output process unit: \(describe(unit))") }
            for group in subgraphMetadata?.outputTensorGroups ?? [] {
                out.append("  Output group \"\(safe(group.name ?? ""))\": \(safe((group.tensorNames ?? []).joined(separator: ", ")))")
            }
            out.append("  Operators: " + operatorCounts(subgraph))
        }

        if !model.signatureDefs.isEmpty {
            out.append("")
            out.append(style.heading("Signatures"))
            for signature in model.signatureDefs {
                let inputs = safe(signature.inputs.map(\.name).joined(separator: ", "))
                let outputs = safe(signature.outputs.map(\.name).joined(separator: ", "))
                out.append("  \(style.name(safe(signature.key))) (subgraph \(signature.subgraphIndex)): (\(inputs)) -> (\(outputs))")
            }
        }

        out.append("")
        if file.associatedFiles.entries.isEmpty {
            out.append(style.dim("No packed files."))
        } else {
            out.append(style.heading("Packed files"))
            for entry in file.associatedFiles.entries {
                out.append("  \(style.name(safe(entry.name)))  \(style.dim(formatBytes(entry.size)))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Model text made safe for a terminal: controls, line breaks and bidi overrides escaped
    /// (`ESC]0;…` must not set the window title, a newline must not forge a line).
    private func safe(_ text: String) -> String {
        DisplayText.escaped(text)
    }

    private func appendField(_ out: inout [String], _ label: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        // Each line of a multi-line value on its own indented line, escaped.
        let lines = LabelLines.lines(value).map { safe($0) }
        out.append("  \(label): \(lines.first ?? "")")
        for line in lines.dropFirst() { out.append("    \(line)") }
    }

    private func describeTensor(_ subgraph: Subgraph, _ index: Int32, position: Int, metadata: [TensorMetadata]?,
                                style: Style) -> [String] {
        guard index >= 0, Int(index) < subgraph.tensors.count else {
            return ["    [\(position)] <tensor index \(index) out of range>"]
        }
        let tensor = subgraph.tensors[Int(index)]
        let shape = tensor.shape.map(String.init).joined(separator: ",")
        var line = "    [\(position)] \(style.name(safe(tensor.name)))  \(tensor.type)[\(shape)]"
        if let signature = tensor.shapeSignature, signature != tensor.shape {
            line += style.dim(" signature [\(signature.map(String.init).joined(separator: ","))]")
        }
        if let q = tensor.quantization, q.isAffine {
            if q.scale.count == 1 {
                line += "  scale \(q.scale[0]) zero point \(q.zeroPoint.first ?? 0)"
            } else {
                line += "  per-channel (\(q.scale.count) scales, axis \(q.quantizedDimension))"
            }
        }
        var lines = [line]
        guard let metadata, metadata.indices.contains(position) else { return lines }
        let entry = metadata[position]
        var facts: [String] = []
        if let name = entry.name, name != tensor.name { facts.append("\"\(safe(name))\"") }
        if let content = entry.content?.contentProperties { facts.append(describe(content)) }
        if let stats = entry.stats, stats.min != nil || stats.max != nil {
            facts.append("range \(list(stats.min))…\(list(stats.max))")
        }
        if !facts.isEmpty { lines.append("        " + facts.joined(separator: "; ")) }
        if let description = entry.description, !description.isEmpty {
            lines.append("        " + style.dim(safe(description.replacing("\n", with: " "))))
        }
        for unit in entry.processUnits ?? [] { lines.append("        \(describe(unit))") }
        for file in entry.associatedFiles ?? [] { lines.append("        file: \(describe(file))") }
        return lines
    }

    private func describe(_ content: ContentProperties) -> String {
        switch content {
        case .feature: return "features"
        case .image(let image):
            var text = "image"
            if let space = image.colorSpace { text += " \(space.rawValue)" }
            if let size = image.defaultSize { text += " \(size.width ?? 0)×\(size.height ?? 0)" }
            return text
        case .boundingBox(let box):
            return "boxes \(box.type?.rawValue ?? "UNKNOWN") \(box.coordinateType?.rawValue ?? "RATIO") index \(list(box.index?.map { Float($0) }))"
        case .audio(let audio):
            return "audio \(audio.sampleRate ?? 0) Hz, \(audio.channels ?? 0) channel(s)"
        }
    }

    private func describe(_ unit: ProcessUnit) -> String {
        switch unit.options {
        case .normalization(let n)?: "normalization mean \(list(n.mean)) std \(list(n.std))"
        case .scoreCalibration(let c)?: "score calibration \(c.scoreTransformation?.rawValue ?? "IDENTITY"), default score \(c.defaultScore ?? 0)"
        case .scoreThresholding(let t)?: "score threshold \(t.globalScoreThreshold ?? 0)"
        case .bertTokenizer(let b)?: "BERT tokenizer, vocab \(names(b.vocabFile))"
        case .sentencePieceTokenizer(let s)?: "SentencePiece tokenizer, model \(names(s.sentencePieceModel))"
        case .regexTokenizer(let r)?: "regex tokenizer \"\(safe(r.delimRegexPattern ?? ""))\", vocab \(names(r.vocabFile))"
        case nil: "process unit without options"
        }
    }

    private func describe(_ file: AssociatedFile) -> String {
        var text = file.name.map { safe($0) } ?? "<unnamed>"
        text += " (\(file.type?.rawValue ?? "UNKNOWN")"
        if let locale = file.locale { text += ", \(safe(locale))" }
        text += ")"
        return text
    }

    private func names(_ files: [AssociatedFile]?) -> String {
        safe((files ?? []).compactMap(\.name).joined(separator: ", "))
    }

    private func list(_ values: [Float]?) -> String {
        guard let values else { return "-" }
        let shown = values.map { $0 == $0.rounded() && abs($0) < 1e9 ? String(Int($0)) : String($0) }
        return values.count == 1 ? shown[0] : "[" + shown.joined(separator: ", ") + "]"
    }

    private func operatorCounts(_ subgraph: Subgraph) -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for op in subgraph.operators {
            let name = file.model.operatorCode(of: op).map { safe($0.name) } ?? "<bad opcode \(op.opcodeIndex)>"
            if counts[name] == nil { order.append(name) }
            counts[name, default: 0] += 1
        }
        if order.isEmpty { return "none" }
        return order.sorted { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }
            .map { "\($0) ×\(counts[$0] ?? 0)" }.joined(separator: ", ")
    }
}

/// `1,234 bytes`, `12.3 KB`, `4.5 MB`.
func formatBytes(_ count: Int) -> String {
    if count < 10_000 { return "\(count) bytes" }
    if count < 10_000_000 { return String(printf: "%.1f KB", Double(count) / 1000) }
    return String(printf: "%.1f MB", Double(count) / 1_000_000)
}
