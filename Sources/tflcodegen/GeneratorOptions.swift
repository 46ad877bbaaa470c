import ArgumentParser
import TFLiteCodegen

/// Options shared by the commands that generate.
struct GeneratorOptions: ParsableArguments {
    @Argument(help: "The .tflite models (several are checked together: no two may write one file).")
    var models: [String]

    @Option(name: .customLong("class-name"), help: "The wrapper's type name (default: from the metadata name, else the file name); one model only.")
    var className: String?

    @Flag(name: .customLong("name-from-file"), help: "Name each wrapper from its model's file name (face_detector.tflite → FaceDetector), as the build plugin does, even when the metadata has a name.")
    var nameFromFile = false

    @Flag(name: .customLong("ignore-metadata"), help: "Do not read the metadata: generate the generic wrapper over typed tensors.")
    var ignoreMetadata = false

    @Flag(name: .customLong("strict-metadata"), help: "Fail when the metadata does not fit the model (by default the generic wrapper is generated, with a warning).")
    var strictMetadata = false

    @Option(name: .customLong("templates"), help: "A folder of .mustache templates overriding the embedded ones.")
    var templates: String?

    @Option(name: .customLong("bundle"), help: "Where init(configuration:options:) finds the bundled model: main or module.")
    var bundle: GeneratorConfiguration.ResourceBundle = .main

    @Option(name: .customLong("access"), help: "Access level of the generated types: public or internal.")
    var access: GeneratorConfiguration.AccessLevel = .public

    func validate() throws {
        guard !models.isEmpty else { throw ValidationError("Give at least one .tflite model.") }
        if className != nil && models.count > 1 {
            throw ValidationError("--class-name names one wrapper, but \(models.count) models were given: run tflcodegen once per model to name each.")
        }
        if ignoreMetadata && strictMetadata {
            throw ValidationError("--ignore-metadata and --strict-metadata contradict each other: pass one.")
        }
    }

    /// The configuration for `model`.
    func configuration(for model: String) -> GeneratorConfiguration {
        GeneratorConfiguration(modelPath: model, className: className, templatesDirectory: templates,
                               resourceBundle: bundle, accessModifier: access, nameFromFile: nameFromFile,
                               metadataUse: ignoreMetadata ? .ignore : strictMetadata ? .strict : .fallBack)
    }
}
