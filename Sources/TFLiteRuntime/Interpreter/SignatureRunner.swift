#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

extension Interpreter {
    /// The keys of the model's signatures (`SignatureDef.signature_key`), in file order.
    public var signatureKeys: [String] { model.signatureDefs.map(\.key) }

    /// A runner for the signature `key` of `model`: an interpreter on the signature's subgraph
    /// whose inputs and outputs are addressed by the signature's names.
    public static func signatureRunner(model: Model, key: String, options: Options = Options()) throws(InterpreterError) -> SignatureRunner {
        try SignatureRunner(model: model, key: key, options: options)
    }
}

/// Runs one signature of a model, with inputs and outputs addressed by name (TensorFlow Lite's
/// `SignatureRunner`). Names keep the signature's order, which is what `inputNames` and
/// `outputNames` list.
public final class SignatureRunner {
    /// The signature key.
    public let key: String
    /// The interpreter running the signature's subgraph.
    public let interpreter: Interpreter
    /// Input names in signature order.
    public let inputNames: [String]
    /// Output names in signature order.
    public let outputNames: [String]
    private let inputPositions: [String: Int]
    private let outputPositions: [String: Int]

    init(model: Model, key: String, options: Interpreter.Options) throws(InterpreterError) {
        guard let signature = model.signatureDefs.first(where: { $0.key == key }) else {
            let keys = model.signatureDefs.map(\.key)
            throw .invalidState("the model has no signature \"\(DisplayText.quoted(key))\"" + (keys.isEmpty ? " (it has none)" : " (signatures: \(keys.map { DisplayText.quoted($0) }.joined(separator: ", ")))"))
        }
        let subgraphIndex = Int(signature.subgraphIndex)
        guard model.subgraphs.indices.contains(subgraphIndex) else {
            throw .invalidGraph("signature \"\(DisplayText.quoted(key))\" names subgraph \(subgraphIndex), but the model has \(model.subgraphs.count)")
        }
        let subgraph = model.subgraphs[subgraphIndex]
        func positions(_ maps: [SignatureDef.TensorMap], _ tensors: [Int32], _ role: String) throws(InterpreterError) -> [String: Int] {
            var result: [String: Int] = [:]
            for map in maps {
                guard let position = tensors.firstIndex(of: Int32(truncatingIfNeeded: map.tensorIndex)) else {
                    throw .invalidGraph("signature \"\(DisplayText.quoted(key))\" \(role) \"\(DisplayText.quoted(map.name))\" is tensor \(map.tensorIndex), which is not a subgraph \(role)")
                }
                result[map.name] = position
            }
            return result
        }
        self.key = key
        interpreter = try Interpreter(model: model, subgraph: subgraphIndex, options: options)
        inputNames = signature.inputs.map(\.name)
        outputNames = signature.outputs.map(\.name)
        inputPositions = try positions(signature.inputs, subgraph.inputs, "input")
        outputPositions = try positions(signature.outputs, subgraph.outputs, "output")
    }

    /// The interpreter input position of input `name`.
    public func inputIndex(_ name: String) throws(InterpreterError) -> Int {
        guard let position = inputPositions[name] else {
            throw .invalidState("signature \"\(DisplayText.quoted(key))\" has no input \"\(DisplayText.quoted(name))\" (inputs: \(inputNames.map { DisplayText.quoted($0) }.joined(separator: ", ")))")
        }
        return position
    }

    /// The interpreter output position of output `name`.
    public func outputIndex(_ name: String) throws(InterpreterError) -> Int {
        guard let position = outputPositions[name] else {
            throw .invalidState("signature \"\(DisplayText.quoted(key))\" has no output \"\(DisplayText.quoted(name))\" (outputs: \(outputNames.map { DisplayText.quoted($0) }.joined(separator: ", ")))")
        }
        return position
    }

    /// Prepares the subgraph (see ``Interpreter/allocateTensors()``).
    public func allocateTensors() throws(InterpreterError) { try interpreter.allocateTensors() }

    /// Resizes input `name`; takes effect at the next `allocateTensors()`. `strict` as for
    /// ``Interpreter/resizeInput(at:to:strict:)``.
    public func resizeInput(named name: String, to shape: [Int], strict: Bool = true) throws(InterpreterError) {
        try interpreter.resizeInput(at: try inputIndex(name), to: shape, strict: strict)
    }

    /// Copies `data` into input `name`.
    @discardableResult
    public func copy(_ data: Data, toInputNamed name: String) throws(InterpreterError) -> Tensor {
        try interpreter.copy(data, toInputAt: try inputIndex(name))
    }

    /// Input `name` (type, shape, quantization, current data).
    public func input(named name: String) throws(InterpreterError) -> Tensor {
        try interpreter.input(at: try inputIndex(name))
    }

    /// Output `name` (a copy of its data; valid after `invoke()`).
    public func output(named name: String) throws(InterpreterError) -> Tensor {
        try interpreter.output(at: try outputIndex(name))
    }

    /// Runs the signature on the current inputs.
    public func invoke() throws(InterpreterError) { try interpreter.invoke() }
}
