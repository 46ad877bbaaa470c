import TFLiteModel

extension KernelRegistry {
    /// Image operators.
    static var imageKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 23): { node throws(InterpreterError) in try ResizeBilinearKernel(node) },  // RESIZE_BILINEAR
            .init(rawValue: 97): { node throws(InterpreterError) in try ResizeNearestNeighborKernel(node) },  // RESIZE_NEAREST_NEIGHBOR
            .init(rawValue: 5): { node throws(InterpreterError) in try DepthSpaceKernel(node, toSpace: true) },  // DEPTH_TO_SPACE
            .init(rawValue: 26): { node throws(InterpreterError) in try DepthSpaceKernel(node, toSpace: false) },  // SPACE_TO_DEPTH
        ]
    }
}
