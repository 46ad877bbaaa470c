import TFLiteModel

/// The custom operators an interpreter runs, by the custom code models name them with.
///
/// ``Interpreter/Options/customOperators`` starts as ``mediaPipe`` (MediaPipe's operators, which
/// the runtime implements as ``CustomOperator``s); an app adds its own with
/// ``register(_:_:)`` (the same call ``mediaPipe`` is built with), replaces one of MediaPipe's
/// by registering the same name, or starts from an empty set with ``init()``. The runtime's
/// other custom operator, `TFLite_Detection_PostProcess`, is one of LiteRT's builtin kernels and
/// is used when no registered operator has its name. Two sets are equal when they register the
/// same names (closures cannot be compared).
public struct CustomOperators: Sendable, Equatable {
    private var factories: [String: @Sendable () -> any CustomOperator] = [:]

    /// An empty set.
    public init() {}

    /// Registers `make` for operators whose custom code is `name` (replacing an earlier one).
    public mutating func register(_ name: String, _ make: @escaping @Sendable () -> any CustomOperator) {
        factories[name] = make
    }

    /// Removes the operator registered for `name`, if any.
    public mutating func unregister(_ name: String) {
        factories[name] = nil
    }

    /// The registered custom codes, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Whether an operator is registered for `name`.
    public func contains(_ name: String) -> Bool { factories[name] != nil }

    func factory(for name: String) -> (@Sendable () -> any CustomOperator)? { factories[name] }

    /// Whether both sets register the same names.
    public static func == (lhs: CustomOperators, rhs: CustomOperators) -> Bool { lhs.names == rhs.names }
}
