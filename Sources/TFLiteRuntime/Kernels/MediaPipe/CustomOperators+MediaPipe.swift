import TFLiteModel

extension CustomOperators {
    /// MediaPipe's custom operators, which LiteRT alone does not run: `Convolution2DTransposeBias`,
    /// `MaxPoolingWithArgmax2D`, `MaxUnpooling2D`, and version 2 of `Landmarks2TransformMatrix`,
    /// `TransformLandmarks` and `TransformTensorBilinear` (float32, in MediaPipe's arithmetic
    /// order). The runtime implements them as ``CustomOperator``s registered with
    /// ``register(_:_:)``, as an app registers its own; ``Interpreter/Options/customOperators``
    /// starts with them.
    public static let mediaPipe: CustomOperators = {
        var operators = CustomOperators()
        operators.register("Convolution2DTransposeBias") { TransposeConvBiasOperator() }
        operators.register("MaxPoolingWithArgmax2D") { MaxPoolingWithArgmaxOperator() }
        operators.register("MaxUnpooling2D") { MaxUnpoolingOperator() }
        operators.register("Landmarks2TransformMatrix") { LandmarksToTransformMatrixOperator() }
        operators.register("TransformLandmarks") { TransformLandmarksOperator() }
        operators.register("TransformTensorBilinear") { TransformTensorBilinearOperator() }
        return operators
    }()
}
