import TFLiteModel

extension KernelRegistry {
    /// MediaPipe's custom operators (by custom code), which LiteRT alone does not run.
    static var mediaPipeKernels: KeyValuePairs<String, KernelFactory> {
        [
            "Convolution2DTransposeBias": { node throws(InterpreterError) in try TransposeConvKernel.mediaPipe(node) },
            "MaxPoolingWithArgmax2D": { node throws(InterpreterError) in try MaxPoolingWithArgmaxKernel(node) },
            "MaxUnpooling2D": { node throws(InterpreterError) in try MaxUnpoolingKernel(node) },
            "Landmarks2TransformMatrix": { node throws(InterpreterError) in try LandmarksToTransformMatrixKernel(node) },
            "TransformLandmarks": { node throws(InterpreterError) in try TransformLandmarksKernel(node) },
            "TransformTensorBilinear": { node throws(InterpreterError) in try TransformTensorBilinearKernel(node) },
        ]
    }
}
