#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// One operator node of a model as a ``CustomOperator`` sees it when it prepares.
public struct CustomOperatorNode: Equatable, Sendable {
    /// The custom code the model names the operator with.
    public var customCode: String
    /// The operator code's version (MediaPipe's transform operators are version 2).
    public var version: Int
    /// The inputs' types and shapes (omitted optional inputs left out).
    public var inputs: [Tensor.Info]
    /// The outputs' types and shapes as the model declares them (a shape may be unknown or
    /// stale: prepare decides).
    public var outputs: [Tensor.Info]
    /// The model's `custom_options` bytes (empty when it has none).
    public var customOptions: Data

    /// A node of `customCode`, for calling an operator's prepare directly.
    public init(customCode: String, version: Int = 1, inputs: [Tensor.Info], outputs: [Tensor.Info], customOptions: Data = Data()) {
        self.customCode = customCode
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.customOptions = customOptions
    }
}

/// An error a ``CustomOperator`` throws to have its message shown as it is (the interpreter's
/// error names the operator and the node). Other errors are shown through their description.
public struct CustomOperatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Whether the model is malformed for the operator or uses something it does not implement.
    public enum Kind: Equatable, Sendable {
        /// The model is malformed for the operator (shapes, options).
        case invalid
        /// The operator does not implement what the model uses (a type, a version).
        case unsupported
    }

    /// Which kind of refusal.
    public var kind: Kind
    /// What is wrong, naming the field.
    public var message: String

    /// A refusal of `kind` saying `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The model is malformed for the operator.
    public static func invalid(_ message: String) -> CustomOperatorError { CustomOperatorError(.invalid, message) }

    /// The operator does not implement what the model uses.
    public static func unsupported(_ message: String) -> CustomOperatorError { CustomOperatorError(.unsupported, message) }

    /// The message.
    public var description: String { message }
}

/// The interpreter's worker threads, lent to a ``CustomOperator`` while it runs.
public struct CustomOperatorThreads: Sendable {
    let pool: ThreadPool

    /// How many threads take part (``Interpreter/Options/threadCount``).
    public var count: Int { pool.threadCount }

    /// Calls `body` for disjoint ranges covering `0..<count`, in parallel when the interpreter
    /// has more than one thread; results must not depend on how the work is split.
    public func parallelFor(_ count: Int, _ body: (Range<Int>) -> Void) {
        pool.parallelFor(count, body)
    }
}
