import TFLiteModel

/// Which kernel implements each operator.
///
/// Kernels are grouped by family, one file of registrations per family
/// (`KernelRegistry+Arithmetic.swift`, …, rows keyed by the schema's names: `.conv2D: …`),
/// gathered here. An operator registered twice is a programming error the registry refuses
/// (``duplicates(in:)``; a test checks the shipped groups have none).
package enum KernelRegistry {
    /// Builtin operators, by code.
    static let builtins: [BuiltinOperator: KernelFactory] = table(builtinGroups)

    /// Custom operators, by custom code.
    static let customs: [String: KernelFactory] = table(customGroups)

    /// The keys registered more than once across `groups` (each listed once, in order of first
    /// registration); empty when every key has one factory.
    static func duplicates<Key: Hashable>(in groups: [KeyValuePairs<Key, KernelFactory>]) -> [Key] {
        var seen: Set<Key> = []
        var repeated: [Key] = []
        for group in groups {
            for (key, _) in group where !seen.insert(key).inserted && !repeated.contains(key) {
                repeated.append(key)
            }
        }
        return repeated
    }

    /// The factories of `groups` by key; stops on a key registered twice.
    private static func table<Key: Hashable>(_ groups: [KeyValuePairs<Key, KernelFactory>]) -> [Key: KernelFactory] {
        let repeated = duplicates(in: groups)
        precondition(repeated.isEmpty, "KernelRegistry: operators registered more than once: \(repeated)")
        var table: [Key: KernelFactory] = [:]
        for group in groups {
            for (key, factory) in group { table[key] = factory }
        }
        return table
    }

    /// The factory for an operator code, if supported.
    static func factory(for code: OperatorCode) -> KernelFactory? {
        if code.builtinCode == .custom { return customs[code.customCode ?? ""] }
        return builtins[code.builtinCode]
    }

    /// Whether an interpreter with default options has a kernel for `code`: one of these or a
    /// custom operator ``Interpreter/Options/customOperators`` starts with (MediaPipe's). It
    /// may still reject particular types or options when the model is prepared.
    package static func supports(_ code: OperatorCode) -> Bool {
        factory(for: code) != nil || (code.builtinCode == .custom && CustomOperators.mediaPipe.contains(code.customCode ?? ""))
    }
}
