import TFLiteModel

extension KernelRegistry {
    /// Quantization operators.
    static var quantizationKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .quantize: QuantizeKernel.init,
            .dequantize: DequantizeKernel.init,
            .densify: DensifyKernel.init,
        ]
    }
}
