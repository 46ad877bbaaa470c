import TFLiteModel

extension KernelRegistry {
    /// Shape operators.
    static var shapeKernels: [BuiltinOperator: KernelFactory] {
        [:]
    }
}
