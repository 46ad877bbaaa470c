import TFLiteModel

extension KernelRegistry {
    /// Pooling operators.
    static var poolingKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .averagePool2D: { node throws(InterpreterError) in try Pool2DKernel(node, kind: .average) },
            .maxPool2D: { node throws(InterpreterError) in try Pool2DKernel(node, kind: .max) },
            .l2Normalization: L2NormalizationKernel.init,
            .localResponseNormalization: LocalResponseNormalizationKernel.init,
        ]
    }
}
