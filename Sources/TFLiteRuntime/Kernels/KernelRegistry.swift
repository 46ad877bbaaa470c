import TFLiteModel

/// Which kernel implements each operator.
///
/// Kernels are grouped by family, one file of registrations per family
/// (`KernelRegistry+Arithmetic.swift`, …), merged here.
public enum KernelRegistry {
    /// Builtin operators, by code.
    static let builtins: [BuiltinOperator: KernelFactory] = {
        var table: [BuiltinOperator: KernelFactory] = [:]
        for group in builtinGroups {
            table.merge(group) { first, _ in first }
        }
        return table
    }()

    /// Custom operators, by custom code.
    static let customs: [String: KernelFactory] = {
        var table: [String: KernelFactory] = [:]
        for group in customGroups {
            table.merge(group) { first, _ in first }
        }
        return table
    }()

    /// The factory for an operator code, if supported.
    static func factory(for code: OperatorCode) -> KernelFactory? {
        if code.builtinCode == .custom { return customs[code.customCode ?? ""] }
        return builtins[code.builtinCode]
    }

    /// Whether the interpreter has a kernel for `code` (it may still reject particular types or
    /// options when the model is prepared).
    public static func supports(_ code: OperatorCode) -> Bool { factory(for: code) != nil }

    /// Names of every supported operator, sorted.
    public static var supportedOperatorNames: [String] {
        (builtins.keys.map(\.name) + customs.keys).sorted()
    }
}
