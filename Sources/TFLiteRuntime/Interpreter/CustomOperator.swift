#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// An operator implemented outside the interpreter's own kernels, registered by the custom code
/// models name it with (in ``Interpreter/Options/customOperators``). MediaPipe's operators are
/// implemented this way and registered by default (``CustomOperators/mediaPipe``).
///
/// The interpreter creates one instance per operator node (through the registered closure),
/// calls ``prepare(_:)`` at `allocateTensors()` and ``invoke(inputs:outputs:threads:)``
/// at every `invoke()`. Inputs and outputs are raw bytes laid out as the model's tensors are
/// (row-major, the element type of each ``Tensor/Info``); the buffers are valid only during the
/// call. An operator implements one form of each method: the short forms
/// (``prepare(inputs:customOptions:)``, ``invoke(inputs:outputs:)``) or the full
/// ones, which also see the operator's version and the outputs the model declares, and may
/// split their work over the interpreter's threads. Errors thrown by either method stop the
/// interpreter with an error naming the operator (a ``CustomOperatorError``'s message is shown
/// as it is).
///
/// The work an operator does is limited as the interpreter's own kernels' is: reading its inputs
/// and writing its outputs is counted for it, and ``workUnits`` adds what it computes
/// beyond that.
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

    /// The full form of ``prepare(inputs:customOptions:)``: also sees the operator's
    /// version and the outputs as the model declares them. By default it calls the short form.
    func prepare(_ node: CustomOperatorNode) throws -> [CustomOperatorOutput]

    /// Computes the outputs (sized as prepare said) from the inputs.
    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws

    /// The full form of ``invoke(inputs:outputs:)``: may split its work over `threads`
    /// (``Interpreter/Options/threadCount`` of them). By default it calls the short form.
    func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws

    /// Work units (see ``Interpreter/Options``: one per multiply-add) one invoke does beyond
    /// reading its inputs and writing its outputs, read after each prepare and refused above
    /// the work limits. Default 0.
    var workUnits: Int { get }
}

extension CustomOperator {
    /// Refuses the operator: it implements neither form of prepare.
    public func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput] {
        throw CustomOperatorError.unsupported("the operator implements no prepare method")
    }

    /// Calls ``prepare(inputs:customOptions:)``.
    public func prepare(_ node: CustomOperatorNode) throws -> [CustomOperatorOutput] {
        try prepare(inputs: node.inputs, customOptions: node.customOptions)
    }

    /// Refuses the operator: it implements neither form of invoke.
    public func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws {
        throw CustomOperatorError.unsupported("the operator implements no invoke method")
    }

    /// Calls ``invoke(inputs:outputs:)``.
    public func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
        try invoke(inputs: inputs, outputs: outputs)
    }

    /// No work beyond reading the inputs and writing the outputs.
    public var workUnits: Int { 0 }
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
