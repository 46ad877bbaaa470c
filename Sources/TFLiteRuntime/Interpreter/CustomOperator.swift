#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// An operator an app implements for models whose custom operators the runtime does not have
/// (register it in ``Interpreter/Options/customOperators`` under the model's custom code).
///
/// The interpreter creates one instance per operator node (through the registered closure),
/// calls ``prepare(inputs:customOptions:)`` at `allocateTensors()` and
/// ``invoke(inputs:outputs:)`` at every `invoke()`. Inputs and outputs are raw bytes laid out as
/// the model's tensors are (row-major, the element type of each ``Tensor/Info``); the buffers
/// are valid only during the call. Errors thrown by either method stop the interpreter with an
/// error naming the operator.
///
/// ```swift
/// final class Double: CustomOperator {
///     func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput] {
///         [CustomOperatorOutput(type: inputs[0].type, shape: inputs[0].shape)]
///     }
///     func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws {
///         let x = inputs[0].bindMemory(to: Float.self), y = outputs[0].bindMemory(to: Float.self)
///         for i in x.indices { y[i] = 2 * x[i] }
///     }
/// }
/// var options = Interpreter.Options()
/// options.customOperators.register("Double") { Double() }
/// ```
public protocol CustomOperator: AnyObject {
    /// Checks the inputs' types and shapes and the operator's custom options (the model's
    /// `custom_options` bytes, often a FlexBuffer map), and returns each output's type and shape.
    func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput]

    /// Computes the outputs (sized as ``prepare(inputs:customOptions:)`` said) from the inputs.
    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws
}

/// The type and shape of one output of a ``CustomOperator``.
public struct CustomOperatorOutput: Equatable, Sendable {
    /// The element type (a fixed-size type: not strings or resources).
    public var type: TensorType
    /// The size of each dimension, outermost first.
    public var shape: [Int]

    /// An output of `type` and `shape`.
    public init(type: TensorType, shape: [Int]) {
        self.type = type
        self.shape = shape
    }
}

/// The custom operators an app registers, by the custom code models name them with.
///
/// Registered operators take precedence over the runtime's own custom operators of the same
/// name (`TFLite_Detection_PostProcess`, MediaPipe's). Two sets are equal when they register
/// the same names (closures cannot be compared).
public struct CustomOperators: Sendable, Equatable {
    private var factories: [String: @Sendable () -> any CustomOperator] = [:]

    /// An empty set.
    public init() {}

    /// Registers `make` for operators whose custom code is `name` (replacing an earlier one).
    public mutating func register(_ name: String, _ make: @escaping @Sendable () -> any CustomOperator) {
        factories[name] = make
    }

    /// The registered custom codes, sorted.
    public var names: [String] { factories.keys.sorted() }

    func factory(for name: String) -> (@Sendable () -> any CustomOperator)? { factories[name] }

    /// Whether both sets register the same names.
    public static func == (lhs: CustomOperators, rhs: CustomOperators) -> Bool { lhs.names == rhs.names }
}

/// Runs a ``CustomOperator`` as a kernel.
final class CustomOperatorKernel: Kernel {
    private let node: Node
    private let implementation: any CustomOperator

    init(_ node: Node, _ implementation: any CustomOperator) {
        self.node = node
        self.implementation = implementation
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let inputs = node.inputs.filter { $0 >= 0 }.map { Tensor.Info(tensors[$0]) }
        let options = node.customOptions.map { Data($0) } ?? Data()
        let results: [CustomOperatorOutput]
        do {
            results = try implementation.prepare(inputs: inputs, customOptions: options)
        } catch {
            throw node.invalid("prepare failed: \(error)")
        }
        guard results.count == node.outputs.count else {
            throw node.invalid("prepare returned \(results.count) outputs, the model has \(node.outputs.count)")
        }
        for (position, result) in results.enumerated() {
            let output = try node.output(position)
            guard result.type.byteWidth != nil, result.shape.allSatisfy({ $0 >= 0 }), GraphValidator.elementCount(result.shape) != nil else {
                throw node.invalid("prepare returned output \(position) as \(result.type) \(result.shape)")
            }
            tensors[output].type = result.type
            tensors[output].shape = result.shape
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let inputs = node.inputs.filter { $0 >= 0 }.map { tensors[$0] }.map { tensor in
            UnsafeRawBufferPointer(start: tensor.data, count: tensor.data == nil ? 0 : tensor.byteCount)
        }
        let outputs = node.outputs.map { tensors[$0] }.map { tensor in
            UnsafeMutableRawBufferPointer(start: tensor.data, count: tensor.data == nil ? 0 : tensor.byteCount)
        }
        do {
            try implementation.invoke(inputs: inputs, outputs: outputs)
        } catch {
            throw node.failure("\(error)")
        }
    }
}
