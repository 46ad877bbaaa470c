import TFLiteModel

extension KernelRegistry {
    /// Pooling operators.
    static var poolingKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
