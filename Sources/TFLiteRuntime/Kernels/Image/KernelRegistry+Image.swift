import TFLiteModel

extension KernelRegistry {
    /// Image operators.
    static var imageKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .resizeBilinear: ResizeBilinearKernel.init,
            .resizeNearestNeighbor: ResizeNearestNeighborKernel.init,
            .depthToSpace: { node throws(InterpreterError) in try DepthSpaceKernel(node, toSpace: true) },
            .spaceToDepth: { node throws(InterpreterError) in try DepthSpaceKernel(node, toSpace: false) },
        ]
    }
}
