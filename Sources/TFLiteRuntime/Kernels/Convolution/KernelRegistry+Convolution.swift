import TFLiteModel

extension KernelRegistry {
    /// Convolution operators.
    static var convolutionKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .conv2D: Conv2DKernel.init,
            .depthwiseConv2D: DepthwiseConv2DKernel.init,
            .transposeConv: TransposeConvKernel.init,
            .fullyConnected: FullyConnectedKernel.init,
            .batchMatmul: BatchMatMulKernel.init,
        ]
    }
}
