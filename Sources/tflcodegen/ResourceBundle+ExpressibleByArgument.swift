import ArgumentParser
import TFLiteCodegen

extension GeneratorConfiguration.ResourceBundle: ExpressibleByArgument {}
