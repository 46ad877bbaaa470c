import TFLiteModel

extension KernelRegistry {
    /// Signal processing and complex-number operators.
    static var signalKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .rfft2D: Rfft2DKernel.init,
            .real: { node throws(InterpreterError) in try ComplexPartKernel(node, .real) },
            .imag: { node throws(InterpreterError) in try ComplexPartKernel(node, .imaginary) },
            .complexAbs: { node throws(InterpreterError) in try ComplexPartKernel(node, .magnitude) },
        ]
    }
}
