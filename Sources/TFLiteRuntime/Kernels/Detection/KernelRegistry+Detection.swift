import TFLiteModel

extension KernelRegistry {
    /// Custom detection operators (by custom code).
    static var detectionKernels: KeyValuePairs<String, KernelFactory> {
        [
            "TFLite_Detection_PostProcess": { node throws(InterpreterError) in try DetectionPostProcessKernel(node) },
        ]
    }
}
