import TFLiteModel

extension KernelRegistry {
    /// Builtin detection operators.
    static var detectionBuiltinKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .nonMaxSuppressionV4: { node throws(InterpreterError) in try NonMaxSuppressionV4V5Kernel(node, soft: false) },
            .nonMaxSuppressionV5: { node throws(InterpreterError) in try NonMaxSuppressionV4V5Kernel(node, soft: true) },
        ]
    }

    /// Custom detection operators (by custom code).
    static var detectionKernels: KeyValuePairs<String, KernelFactory> {
        [
            "TFLite_Detection_PostProcess": { node throws(InterpreterError) in try DetectionPostProcessKernel(node) },
        ]
    }
}
