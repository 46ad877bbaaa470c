import TFLiteModel

extension KernelRegistry {
    /// Arithmetic operators.
    static var arithmeticKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
