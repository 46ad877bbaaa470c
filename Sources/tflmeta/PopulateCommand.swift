import ArgumentParser
import Foundation
import TFLiteMetadata

/// `tflmeta populate M [--metadata SPEC | --preset P] [flags] [--file F]... (-o OUT | -i)`.
struct PopulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "populate",
        abstract: "Write metadata and associated files into a model, keeping everything else.",
        discussion: """
        The metadata comes from a SPEC (JSON as `show --json` prints it), a task preset, or the \
        model's own metadata, with the flags applied on top. min_parser_version is computed. \
        Packed files the metadata still names are kept unless given again; others are dropped. \
        The result is validated (see `validate`) before anything is written, written beside OUT \
        and renamed over it; the input is only replaced with -i. With -i on a symbolic link, the \
        file the link points to is edited and the link stays; -i holds an advisory lock (flock) on \
        the model while it reads and rewrites it, so concurrent -i edits of one file take turns.

        Presets (as tflite-support's writers): \
        \(TaskPreset.allCases.map { "\($0.rawValue) (\($0.neededFlags))" }.joined(separator: "; ")).
        """
    )

    @OptionGroup var input: ModelArgument

    @Option(name: .customLong("metadata"), help: ArgumentHelp("Metadata JSON (the form `show --json` prints).", valueName: "spec.json"))
    var spec: String?

    @Option(help: "Task preset.") var preset: TaskPreset?

    @Option(name: .customLong("file"), help: ArgumentHelp("A file to pack (stored by its basename). Repeat for more.", valueName: "path"))
    var files: [String] = []

    @Option(name: [.short, .customLong("output")], help: "Where to write the model.") var output: String?

    @Flag(name: [.short, .customLong("in-place")],
          help: "Replace the input model (through a symbolic link: the file it points to; the link stays).")
    var inPlace = false

    @Flag(help: "Write even when validation finds errors that allow it (they become warnings).") var force = false

    @Option(help: "Alignment of packed files' bytes in the output (a power of two, 1–4096).") var align = 16

    @Flag(name: .shortAndLong, help: "Also print notes (kept files, replaced min_parser_version).") var verbose = false

    @OptionGroup(title: "Metadata") var flags: MetadataFlags

    func validate() throws {
        guard (output != nil) != inPlace else {
            throw ValidationError("give either -o OUT or -i (--in-place)")
        }
        guard (1...4096).contains(align), align & (align - 1) == 0 else {
            throw ValidationError("--align must be a power of two between 1 and 4096")
        }
    }

    func run() throws {
        var spec: ModelMetadata?
        if let path = self.spec {
            do {
                spec = try MetadataSpec.load(contentsOf: path)
            } catch {
                throw ToolFailure(error)
            }
        }
        let options = try flags.options()
        let destination: String
        var lock: FileLock?
        defer { lock?.release() }
        let file: ModelFile
        if inPlace {
            // Edit the file itself, not a link to it (the rename would replace the link), and
            // hold a lock from reading to renaming so a concurrent -i waits instead of losing
            // its edit or ours.
            destination = Self.resolvingLinks(input.model)
            do {
                lock = try FileLock(exclusive: destination, role: "model")
                file = try ModelFile(contentsOf: destination)
            } catch {
                throw ToolFailure(error)
            }
        } else {
            destination = output!
            file = try input.open()
            if Self.sameFile(destination, input.model) {
                throw ToolFailure("\(destination): is the input model; use -i to replace it")
            }
        }
        do throws(PopulateError) {
            let recipe = MetadataRecipe(spec: spec, preset: preset, options: options, files: files)
            let (metadata, packed, notes) = try recipe.resolve(for: file)
            let result = try MetadataPopulator.populate(file, metadata: metadata, files: packed, to: destination,
                                                        options: PopulateOptions(alignment: align, force: force))
            report(notes + result.diagnostics)
        } catch {
            report(error.diagnostics)
            throw ToolFailure(error.description)
        }
    }

    /// `path` with every symbolic link resolved (as is when it cannot be: the open reports why).
    static func resolvingLinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func report(_ diagnostics: [Diagnostic]) {
        var text = ""
        for diagnostic in diagnostics where verbose || diagnostic.severity != .note {
            text += "\(diagnostic)\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Whether two paths name the same file (both exist and share device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}
