import Foundation

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

    /// Creates a pipeline for one model.
    public init(configuration: GeneratorConfiguration) {
        self.configuration = configuration
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
        let parsed = try ParsedModel(path: configuration.modelPath)
        return try run(parsed, diagnostics: &diagnostics)
    }

    /// Translates and renders an already read model.
    func run(_ parsed: ParsedModel, diagnostics: inout Diagnostics) throws(CodegenError) -> GeneratedFiles {
        let viewModel = try WrapperTranslator(configuration: configuration).translate(parsed, diagnostics: &diagnostics)
        if diagnostics.hasErrors {
            throw CodegenError(file: configuration.modelFileName, diagnostics: diagnostics.errors)
        }
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
}
