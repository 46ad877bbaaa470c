import TFLiteModel

// The families of kernels. Each family registers its operators in its own folder's
// `KernelRegistry+<Family>.swift`.

extension KernelRegistry {
    static var builtinGroups: [[BuiltinOperator: KernelFactory]] {
        [
            arithmeticKernels, activationKernels, convolutionKernels, poolingKernels,
            shapeKernels, quantizationKernels, reductionKernels, imageKernels,
        ]
    }

    static var customGroups: [[String: KernelFactory]] {
        [detectionKernels]
    }
}
