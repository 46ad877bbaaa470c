import TFLiteModel

extension KernelRegistry {
    /// Quantization operators.
    static var quantizationKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 114): { node throws(InterpreterError) in try QuantizeKernel(node) },  // QUANTIZE
            .init(rawValue: 6): { node throws(InterpreterError) in try DequantizeKernel(node) },  // DEQUANTIZE
            .init(rawValue: 124): { node throws(InterpreterError) in try DensifyKernel(node) },  // DENSIFY
        ]
    }
}
