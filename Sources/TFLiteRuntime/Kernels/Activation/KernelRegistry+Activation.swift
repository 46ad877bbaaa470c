import TFLiteModel

extension KernelRegistry {
    /// Activation operators.
    static var activationKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
