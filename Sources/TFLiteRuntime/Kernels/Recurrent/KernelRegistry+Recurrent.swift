import TFLiteModel

extension KernelRegistry {
    /// Recurrent layers converted as fused operators.
    static var recurrentKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .unidirectionalSequenceLstm: { node throws(InterpreterError) in try UnidirectionalSequenceLSTMKernel(node) },
        ]
    }
}
