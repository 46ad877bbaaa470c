import TFLiteModel

extension KernelRegistry {
    /// Reduction operators.
    static var reductionKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 40): { node throws(InterpreterError) in try ReduceKernel(node, kind: .mean) },  // MEAN
            .init(rawValue: 74): { node throws(InterpreterError) in try ReduceKernel(node, kind: .sum) },  // SUM
            .init(rawValue: 81): { node throws(InterpreterError) in try ReduceKernel(node, kind: .prod) },  // REDUCE_PROD
            .init(rawValue: 82): { node throws(InterpreterError) in try ReduceKernel(node, kind: .max) },  // REDUCE_MAX
            .init(rawValue: 89): { node throws(InterpreterError) in try ReduceKernel(node, kind: .min) },  // REDUCE_MIN
            .init(rawValue: 56): { node throws(InterpreterError) in try ArgMinMaxKernel(node, isMax: true) },  // ARG_MAX
            .init(rawValue: 79): { node throws(InterpreterError) in try ArgMinMaxKernel(node, isMax: false) },  // ARG_MIN
        ]
    }
}
