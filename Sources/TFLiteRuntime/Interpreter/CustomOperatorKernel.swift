#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// Runs a ``CustomOperator`` as a kernel: the one path for every registered custom operator,
/// an app's and MediaPipe's alike.
final class CustomOperatorKernel: Kernel {
    private let node: Node
    private let implementation: any CustomOperator

    init(_ node: Node, _ implementation: any CustomOperator) {
        self.node = node
        self.implementation = implementation
    }

    /// The interpreter error for `error` thrown by the operator while it `step`s.
    private func refusal(_ error: any Error, _ step: String) -> InterpreterError {
        guard let error = error as? CustomOperatorError else {
            return step == "invoke" ? node.failure("\(error)") : node.invalid("\(step) failed: \(error)")
        }
        if step == "invoke" { return node.failure(error.message) }
        return error.kind == .unsupported ? node.unsupported(error.message) : node.invalid(error.message)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let view = CustomOperatorNode(customCode: node.name, version: Int(node.version),
                                      inputs: node.inputs.filter { $0 >= 0 }.map { Tensor.Info(tensors[$0]) },
                                      outputs: node.outputs.filter { $0 >= 0 }.map { Tensor.Info(tensors[$0]) },
                                      customOptions: node.customOptions.map { Data($0) } ?? Data())
        let results: [CustomOperatorOutput]
        do {
            results = try implementation.prepare(view)
        } catch {
            throw refusal(error, "prepare")
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
        let work = implementation.workUnits
        guard work >= 0 else { throw node.invalid("prepare reported \(work) work units") }
        try tensors.checkWork(work, node: node)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let inputs = node.inputs.filter { $0 >= 0 }.map { tensors[$0] }.map { tensor in
            UnsafeRawBufferPointer(start: tensor.data, count: tensor.data == nil ? 0 : tensor.byteCount)
        }
        let outputs = node.outputs.map { tensors[$0] }.map { tensor in
            UnsafeMutableRawBufferPointer(start: tensor.data, count: tensor.data == nil ? 0 : tensor.byteCount)
        }
        do {
            try implementation.invoke(inputs: inputs, outputs: outputs, threads: CustomOperatorThreads(pool: tensors.pool))
        } catch {
            throw refusal(error, "invoke")
        }
    }
}
