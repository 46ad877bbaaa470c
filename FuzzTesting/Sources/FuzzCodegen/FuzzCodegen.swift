import Foundation
import TFLiteCodegen
import TFLiteMetadata

/// `tflcodegen` on arbitrary bytes (security issue #20): the model is read through the same path
/// (`ParsedModel(path:)` on a file), translated and rendered with the embedded templates; then
/// the generated Swift is checked in-process: it re-lexes cleanly (every `///` line one line,
/// literals of printable ASCII with valid escapes and no interpolation, nothing but printable
/// ASCII and no `#` outside comments and literals), and no longer piece of model text appears
/// raw outside comments and literals. A violation traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodegen(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let path = FuzzCodegenFile.path
    guard (try? Data(bytes: start, count: count).write(to: URL(fileURLWithPath: path))) != nil else { return 0 }
    guard let parsed = try? ParsedModel(path: path) else { return 0 }
    var diagnostics = Diagnostics()
    let files: GeneratedFiles
    do {
        files = try GeneratorPipeline(configuration: GeneratorConfiguration(modelPath: path)).run(diagnostics: &diagnostics)
    } catch {
        // The pipeline re-lexes what it made and refuses it: a generator bug.
        if error.reason.hasPrefix("internal error") { fatalError("FuzzCodegen: \(error.reason)") }
        _ = error.description
        return 0
    }
    var problems: [String] = []
    let lines = GeneratedCodeCheck.lex(files.swiftSource, problems: &problems)
    if !problems.isEmpty { fatalError("FuzzCodegen: generated code: \(problems.prefix(3))") }
    for text in FuzzCodegenFile.modelTexts(parsed) {
        for line in lines where line.code.contains(text) {
            fatalError("FuzzCodegen: model text \(text.debugDescription) raw in code at line \(line.number): \(line.code)")
        }
    }
    _ = files.documentation.count
    return 0
}

enum FuzzCodegenFile {
    /// One file per process, rewritten for each input (in memory when /dev/shm exists).
    static let path: String = {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return (directory as NSString).appendingPathComponent("FuzzCodegen-\(getpid()).tflite")
    }()

    /// Model texts that would be dangerous in code: at least 6 characters, with a letter and a
    /// character generated code never has outside comments and literals (`;`, `\`, `#`, `*`,
    /// `` ` ``, `@`, anything but printable ASCII), so finding one there means it leaked.
    static func modelTexts(_ model: ParsedModel) -> [String] {
        var texts = model.inputs.map(\.name) + model.outputs.map(\.name) + Array(model.packedFileNames)
        if let metadata = model.metadata {
            texts += [metadata.name, metadata.description, metadata.version, metadata.author, metadata.license].compactMap { $0 }
            for subgraph in metadata.subgraphMetadata ?? [] {
                for tensor in (subgraph.inputTensorMetadata ?? []) + (subgraph.outputTensorMetadata ?? []) {
                    texts += [tensor.name, tensor.description].compactMap { $0 }
                    for file in tensor.associatedFiles ?? [] { texts += [file.name, file.locale, file.description].compactMap { $0 } }
                    for unit in tensor.processUnits ?? [] {
                        if case .regexTokenizer(let options)? = unit.options { texts += [options.delimRegexPattern].compactMap { $0 } }
                    }
                }
                texts += (subgraph.outputTensorGroups ?? []).compactMap(\.name)
            }
        }
        return texts.filter { text in
            text.unicodeScalars.count >= 6
                && text.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
                && text.unicodeScalars.contains { ";\\#*`@".unicodeScalars.contains($0) || $0.value < 0x20 || $0.value >= 0x7F }
        }
    }
}
