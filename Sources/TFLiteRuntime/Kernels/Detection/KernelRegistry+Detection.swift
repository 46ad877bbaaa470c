import TFLiteModel

extension KernelRegistry {
    /// Custom detection operators (by custom code).
    static var detectionKernels: [String: KernelFactory] {
        [:]
    }
}
