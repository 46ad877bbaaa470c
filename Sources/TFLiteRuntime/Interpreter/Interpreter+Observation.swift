import TFLiteModel

/// One tensor's value as ``Interpreter/invoke(observer:)`` shows it: right after the operator
/// that wrote it ran (or, for a model input, before the first operator), before the arena
/// reuses its memory. The values are borrowed: valid only during the observer's call.
package struct ObservedTensor {
    /// The tensor's index in the subgraph.
    package let index: Int
    /// The index of the operator that wrote it; nil for a model input.
    package let producer: Int?
    /// The tensor as the interpreter holds it (type, shape, name).
    package let tensor: RuntimeTensor

    /// The float32 elements, read-only; nil when the tensor is not float32 or has no storage.
    package var floats: UnsafeBufferPointer<Float>? {
        guard tensor.type == .float32, tensor.data != nil else { return nil }
        let buffer = tensor.buffer(Float.self)
        return UnsafeBufferPointer(start: buffer.baseAddress, count: min(buffer.count, tensor.elementCount))
    }
}

extension Interpreter {
    /// Runs the model like ``invoke()``, showing `observer` every model input (before the first
    /// operator) and every output of every operator right after it ran, in execution order.
    ///
    /// A separate entry point, so the normal `invoke()` pays nothing for observation. Operators
    /// that ``ElementwiseComposition`` merged into their reader run here too (so their outputs are
    /// seen), which does not change the results: the composed reader reads the unary's input.
    /// Activations fused into a convolution (``ActivationFusion``) run here on their own, after
    /// the convolution wrote its own output.
    /// Folded outputs (computed at `allocateTensors()`) are shown at their operator's turn.
    /// The observer keeps what it needs (statistics); it must not hold on to the values.
    package func invoke(observer: (ObservedTensor) -> Void) throws(InterpreterError) {
        try beginInvoke()
        let subgraph = model.subgraphs[subgraphIndex]
        for input in subgraph.inputs {
            let index = Int(input)
            guard tensors.indices.contains(index) else { continue }
            observer(ObservedTensor(index: index, producer: nil, tensor: tensors[index]))
        }
        for (position, (node, kernel)) in zip(nodes, kernels).enumerated() {
            let outputs = node.outputs.filter { $0 >= 0 }
            // As invoke(): folded or empty outputs have nothing to compute; operators without
            // outputs (ASSIGN_VARIABLE, CALL_ONCE) always run.
            let settled = !outputs.isEmpty
                && (outputs.allSatisfy { tensors[$0].storage == .folded } || outputs.allSatisfy { tensors[$0].elementCount == 0 })
            if deferred[position] {
                try runDeferred(node, kernel)
            } else if !settled {
                // A convolution with a fused activation writes its own output here, and the
                // activation runs after it.
                if let fusing = kernel as? any ActivationFusingKernel { try fusing.runUnfused(tensors) } else { try kernel.run(tensors) }
                if options.streamsWeights { releaseCopiedConstants(of: kernel) }
            }
            for output in outputs {
                observer(ObservedTensor(index: output, producer: node.index, tensor: tensors[output]))
            }
        }
    }
}
