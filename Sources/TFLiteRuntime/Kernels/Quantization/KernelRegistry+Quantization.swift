import TFLiteModel

extension KernelRegistry {
    /// Quantization operators.
    static var quantizationKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
