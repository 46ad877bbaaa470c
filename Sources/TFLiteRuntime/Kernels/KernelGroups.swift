import TFLiteModel

// The families of kernels. Each family registers its operators in its own folder's
// `KernelRegistry+<Family>.swift`.

extension KernelRegistry {
    static var builtinGroups: [KeyValuePairs<BuiltinOperator, KernelFactory>] {
        [
            arithmeticKernels, activationKernels, convolutionKernels, poolingKernels,
            shapeKernels, quantizationKernels, reductionKernels, imageKernels, detectionBuiltinKernels,
            signalKernels, controlFlowKernels, recurrentKernels,
        ]
    }

    static var customGroups: [KeyValuePairs<String, KernelFactory>] {
        [detectionKernels]
    }
}
