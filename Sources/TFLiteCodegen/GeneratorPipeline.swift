import Foundation
import TFLiteModel

/// The generated files, in memory.
public struct GeneratedFiles: Hashable, Sendable {
    /// `Name.swift` and its text.
    public var swiftFileName: String
    /// The wrapper's Swift source.
    public var swiftSource: String
    /// `Name.md` (usage with a snippet) and its text.
    public var documentationFileName: String
    /// The usage page's Markdown: what the model takes and returns, and a snippet.
    public var documentation: String
    /// The wrapper's type name as generated (after defaults and sanitizing).
    public var className: String
}

/// Code generation in typed stages, like swift-openapi-generator's `GeneratorPipeline`:
/// read (model + metadata → `ParsedModel`) → translate (→ `WrapperViewModel`, where every decision
/// is made and the model is checked against its metadata) → render (templates → text).
/// Recoverable problems are collected as diagnostics; errors among them stop the pipeline before
/// anything is written.
public struct GeneratorPipeline: Sendable {
    /// What to generate.
    public var configuration: GeneratorConfiguration
    /// Whether the runtime has a kernel for an operator (`tflcodegen` passes TFLiteRuntime's
    /// registry); each operator it lacks is warned about, by name. Nil: not checked.
    package var operatorSupport: (@Sendable (OperatorCode) -> Bool)?

    /// Creates a pipeline for one model.
    public init(configuration: GeneratorConfiguration) {
        self.init(configuration: configuration, operatorSupport: nil)
    }

    /// A pipeline for `configuration`; `operatorSupport` as ``operatorSupport``.
    package init(configuration: GeneratorConfiguration, operatorSupport: (@Sendable (OperatorCode) -> Bool)?) {
        self.configuration = configuration
        self.operatorSupport = operatorSupport
    }

    /// Reads the model and its metadata, decides the wrapper's API, renders the templates and
    /// checks the generated code.
    ///
    /// Nothing is written to disk: pass the result to ``OutputWriter/write(_:to:documentation:)``.
    ///
    /// - Parameter diagnostics: Receives notes, warnings and errors found on the way.
    /// - Returns: The wrapper's Swift source and its usage page.
    /// - Throws: ``CodegenError`` when the model cannot be read, a template is invalid, or
    ///   `diagnostics` received an error (the error lists them).
    public func run(diagnostics: inout Diagnostics) throws(CodegenError) -> GeneratedFiles {
        let parsed = try ParsedModel(path: configuration.modelPath, readMetadata: configuration.metadataUse != .ignore)
        if let operatorSupport { OperatorSupport.check(parsed, supports: operatorSupport, diagnostics: &diagnostics) }
        return try run(parsed, diagnostics: &diagnostics)
    }

    /// Translates and renders an already read model.
    func run(_ parsed: ParsedModel, diagnostics: inout Diagnostics) throws(CodegenError) -> GeneratedFiles {
        let viewModel = try translate(parsed, diagnostics: &diagnostics)
        let renderer = try TemplateRenderer(directory: configuration.templatesDirectory)
        let files = try renderer.render(viewModel)
        // Defence in depth: the embedded templates with SwiftSource values can only make
        // well-formed code; a failure here is a generator bug, and nothing is written.
        if configuration.templatesDirectory == nil {
            let problems = GeneratedCodeCheck.problems(in: files.swiftSource)
            if !problems.isEmpty {
                throw CodegenError(file: configuration.modelFileName, reason: "internal error: the generated code failed its safety check (\(problems.prefix(3).joined(separator: "; "))); please report it")
            }
        }
        return files
    }

    /// Stage 2, with the metadata when it fits the model; otherwise (``GeneratorConfiguration/MetadataUse/fallBack``)
    /// the generic wrapper, each mismatch turned into a warning.
    func translate(_ parsed: ParsedModel, diagnostics: inout Diagnostics) throws(CodegenError) -> WrapperViewModel {
        var parsed = parsed
        if configuration.metadataUse == .ignore { parsed.metadata = nil }
        var attempt = diagnostics
        let viewModel = try WrapperTranslator(configuration: configuration).translate(parsed, diagnostics: &attempt)
        guard attempt.hasErrors else {
            diagnostics = attempt
            return viewModel
        }
        guard parsed.metadata != nil, configuration.metadataUse == .fallBack else {
            diagnostics = attempt
            throw CodegenError(file: configuration.modelFileName, diagnostics: attempt.errors)
        }
        var generic = diagnostics
        for mismatch in attempt.errors {
            generic.warning("the metadata does not fit the model: \(mismatch.message); generated the generic wrapper over typed tensors instead (as for a model without metadata)",
                            context: mismatch.context)
        }
        let genericModel = try WrapperTranslator(configuration: configuration, usesTensorMetadata: false).translate(parsed, diagnostics: &generic)
        guard !generic.hasErrors else {
            // Not even the generic wrapper: report what the metadata attempt found too.
            diagnostics = attempt
            for error in generic.errors where !attempt.errors.contains(error) { diagnostics.emit(error) }
            throw CodegenError(file: configuration.modelFileName, diagnostics: diagnostics.errors)
        }
        diagnostics = generic
        return genericModel
    }
}
