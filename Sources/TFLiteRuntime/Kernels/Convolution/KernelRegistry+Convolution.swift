import TFLiteModel

extension KernelRegistry {
    /// Convolution operators.
    static var convolutionKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 3): { node throws(InterpreterError) in try Conv2DKernel(node) },  // CONV_2D
            .init(rawValue: 4): { node throws(InterpreterError) in try DepthwiseConv2DKernel(node) },  // DEPTHWISE_CONV_2D
            .init(rawValue: 67): { node throws(InterpreterError) in try TransposeConvKernel(node) },  // TRANSPOSE_CONV
            .init(rawValue: 9): { node throws(InterpreterError) in try FullyConnectedKernel(node) },  // FULLY_CONNECTED
            .init(rawValue: 126): { node throws(InterpreterError) in try BatchMatMulKernel(node) },  // BATCH_MATMUL
        ]
    }
}
