import TFLiteModel

/// Warns at generation time about operators `TFLiteRuntime` has no kernel for, so an unsupported
/// model is not discovered only when `init` throws. TFLiteCodegen does not depend on the runtime:
/// `tflcodegen` hands it the runtime's `KernelRegistry.supports` (the check `tflrun ops` prints)
/// through ``GeneratorPipeline/operatorSupport``.
enum OperatorSupport {
    /// The names of `model`'s operators the runtime cannot run, each once, in order of first
    /// use: builtin operators by their schema names (`CONV_3D`), custom ones by their custom code.
    static func unsupportedOperators(_ model: ParsedModel, supports: (OperatorCode) -> Bool) -> (builtin: [String], custom: [String]) {
        var builtin: [String] = []
        var custom: [String] = []
        for code in model.operatorCodes where !supports(code) {
            if code.builtinCode == .custom {
                let name = DisplayText.quoted(code.customCode ?? "CUSTOM")
                if !custom.contains(name) { custom.append(name) }
            } else if !builtin.contains(code.builtinCode.name) {
                builtin.append(code.builtinCode.name)
            }
        }
        return (builtin, custom)
    }

    /// One warning for the builtin operators and one for the custom operators the runtime lacks.
    static func check(_ model: ParsedModel, supports: (OperatorCode) -> Bool, diagnostics: inout Diagnostics) {
        let (builtin, custom) = unsupportedOperators(model, supports: supports)
        if !builtin.isEmpty {
            diagnostics.warning("TFLiteRuntime has no kernel for operator\(builtin.count == 1 ? "" : "s") \(builtin.joined(separator: ", ")): the wrapper's init will throw when it loads this model", context: model.fileName)
        }
        if !custom.isEmpty {
            diagnostics.warning("custom operator\(custom.count == 1 ? "" : "s") \(custom.map { "\"\($0)\"" }.joined(separator: ", ")) \(custom.count == 1 ? "is" : "are") not built into TFLiteRuntime: register \(custom.count == 1 ? "it" : "them") in the Interpreter.Options passed to the wrapper's init (options.customOperators.register), or init will throw", context: model.fileName)
        }
    }
}
