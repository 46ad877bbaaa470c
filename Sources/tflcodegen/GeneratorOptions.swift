import ArgumentParser
import TFLiteCodegen

/// Options shared by the commands that generate.
struct GeneratorOptions: ParsableArguments {
    @Argument(help: "The .tflite model.")
    var model: String

    @Option(name: .customLong("class-name"), help: "The wrapper's type name (default: from the metadata name).")
    var className: String?

    @Option(name: .customLong("templates"), help: "A folder of .mustache templates overriding the embedded ones.")
    var templates: String?

    @Option(name: .customLong("bundle"), help: "Where init(configuration:options:) finds the bundled model: main or module.")
    var bundle: GeneratorConfiguration.ResourceBundle = .main

    @Option(name: .customLong("access"), help: "Access level of the generated types: public or internal.")
    var access: GeneratorConfiguration.AccessLevel = .public

    var configuration: GeneratorConfiguration {
        GeneratorConfiguration(modelPath: model, className: className, templatesDirectory: templates,
                               resourceBundle: bundle, accessModifier: access)
    }
}
