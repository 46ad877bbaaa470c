import TFLiteModel

extension KernelRegistry {
    /// Reduction operators.
    static var reductionKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
