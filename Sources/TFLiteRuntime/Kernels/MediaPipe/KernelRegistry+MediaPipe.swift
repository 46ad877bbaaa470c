import TFLiteModel

extension KernelRegistry {
    /// MediaPipe's custom operators (by custom code), which LiteRT alone does not run.
    static var mediaPipeKernels: KeyValuePairs<String, KernelFactory> {
        [
            "Convolution2DTransposeBias": { node throws(InterpreterError) in try TransposeConvKernel.mediaPipe(node) },
        ]
    }
}
