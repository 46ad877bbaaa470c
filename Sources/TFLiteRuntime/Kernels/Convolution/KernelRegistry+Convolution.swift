import TFLiteModel

extension KernelRegistry {
    /// Convolution operators.
    static var convolutionKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 3): { node throws(InterpreterError) in try Conv2DKernel(node) },  // CONV_2D
        ]
    }
}
