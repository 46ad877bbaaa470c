import TFLiteModel

extension KernelRegistry {
    /// Pooling operators.
    static var poolingKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 1): { node throws(InterpreterError) in try Pool2DKernel(node, kind: .average) },  // AVERAGE_POOL_2D
            .init(rawValue: 17): { node throws(InterpreterError) in try Pool2DKernel(node, kind: .max) },  // MAX_POOL_2D
            .init(rawValue: 11): { node throws(InterpreterError) in try L2NormalizationKernel(node) },  // L2_NORMALIZATION
        ]
    }
}
