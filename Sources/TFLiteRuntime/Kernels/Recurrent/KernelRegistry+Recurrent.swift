import TFLiteModel

extension KernelRegistry {
    /// Recurrent layers converted as fused operators.
    static var recurrentKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .unidirectionalSequenceLstm: { node throws(InterpreterError) in try UnidirectionalSequenceLSTMKernel(node) },
            .bidirectionalSequenceLstm: { node throws(InterpreterError) in try BidirectionalSequenceLSTMKernel(node) },
            .unidirectionalSequenceRnn: { node throws(InterpreterError) in try UnidirectionalSequenceRNNKernel(node) },
            .svdf: { node throws(InterpreterError) in try SVDFKernel(node) },
        ]
    }
}
