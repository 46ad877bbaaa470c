import ArgumentParser
import TFLiteCodegen

extension GeneratorConfiguration.ResourceBundle: ExpressibleByArgument {}

extension GeneratorConfiguration.AccessLevel: ExpressibleByArgument {}
