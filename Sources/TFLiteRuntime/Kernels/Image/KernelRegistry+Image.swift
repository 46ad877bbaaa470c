import TFLiteModel

extension KernelRegistry {
    /// Image operators.
    static var imageKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
