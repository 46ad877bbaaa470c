import Foundation
import Mustache

/// Stage 3: renders the view model with the templates, from the package's `templates/` folder
/// (embedded at build time) or a folder that overrides them. Templates are rendered as TEXT (no
/// HTML escaping).
struct TemplateRenderer {
    static let swiftTemplate = "model.swift"
    static let documentationTemplate = "usage.md"

    private let library: MustacheLibrary
    private let source: String

    /// Loads `model.swift.mustache` and `usage.md.mustache` from `directory`, or the embedded ones.
    init(directory: String?) throws(CodegenError) {
        var texts = EmbeddedTemplates.files
        var source = "embedded templates"
        if let directory {
            source = directory
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CodegenError(file: directory, field: "--templates", reason: "no such directory")
            }
            for name in [Self.swiftTemplate, Self.documentationTemplate] {
                let path = URL(fileURLWithPath: directory).appending(path: name + ".mustache").path
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    if FileManager.default.fileExists(atPath: path) {
                        throw CodegenError(file: path, reason: "cannot read the template as UTF-8")
                    }
                    continue
                }
                texts[name + ".mustache"] = text
            }
        }
        var library = MustacheLibrary()
        for (file, text) in texts.sorted(by: { $0.key < $1.key }) where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            do {
                // TEXT: generated Swift must not be HTML-escaped.
                try library.register("{{% CONTENT_TYPE: TEXT}}" + text, named: name)
            } catch {
                throw CodegenError(file: "\(source)/\(file)", reason: "invalid template: \(error)")
            }
        }
        for name in [Self.swiftTemplate, Self.documentationTemplate] where library.getTemplate(named: name) == nil {
            throw CodegenError(file: source, reason: "no template \(name).mustache")
        }
        self.library = library
        self.source = source
    }

    func render(_ model: WrapperViewModel) throws(CodegenError) -> GeneratedFiles {
        guard let swift = library.render(model, withTemplate: Self.swiftTemplate),
              let documentation = library.render(model, withTemplate: Self.documentationTemplate) else {
            throw CodegenError(file: source, reason: "cannot render the templates")
        }
        return GeneratedFiles(swiftFileName: model.className.text + ".swift", swiftSource: swift,
                              documentationFileName: model.className.text + ".md", documentation: documentation,
                              className: model.className.text)
    }
}
