import TFLiteModel

extension KernelRegistry {
    /// Convolution operators.
    static var convolutionKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
