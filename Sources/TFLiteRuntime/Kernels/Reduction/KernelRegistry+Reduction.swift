import TFLiteModel

extension KernelRegistry {
    /// Reduction operators.
    static var reductionKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .mean: { node throws(InterpreterError) in try ReduceKernel(node, kind: .mean) },
            .sum: { node throws(InterpreterError) in try ReduceKernel(node, kind: .sum) },
            .reduceProd: { node throws(InterpreterError) in try ReduceKernel(node, kind: .prod) },
            .reduceMax: { node throws(InterpreterError) in try ReduceKernel(node, kind: .max) },
            .reduceMin: { node throws(InterpreterError) in try ReduceKernel(node, kind: .min) },
            .argMax: { node throws(InterpreterError) in try ArgMinMaxKernel(node, isMax: true) },
            .argMin: { node throws(InterpreterError) in try ArgMinMaxKernel(node, isMax: false) },
            .cumsum: CumsumKernel.init,
            .segmentSum: SegmentSumKernel.init,
            .topkV2: TopKV2Kernel.init,
        ]
    }
}
