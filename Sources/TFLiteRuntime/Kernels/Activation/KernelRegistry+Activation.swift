import TFLiteModel

extension KernelRegistry {
    /// Activation operators.
    static var activationKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .softmax: SoftmaxKernel.init,
            .logSoftmax: LogSoftmaxKernel.init,
            .prelu: PReluKernel.init,
            .relu: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .relu) },
            .relu6: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .relu6) },
            .reluN1To1: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .reluN1To1) },
            .leakyRelu: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .leakyRelu) },
            .logistic: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .logistic) },
            .tanh: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .tanh) },
            .hardSwish: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .hardSwish) },
            .elu: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .elu) },
            .gelu: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, try UnaryOperation.geluVariant(node)) },
            .exp: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .exp) },
            .log: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .log) },
            .sqrt: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .sqrt) },
            .rsqrt: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .rsqrt) },
            .abs: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .abs) },
            .neg: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .neg) },
            .sin: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .sin) },
            .cos: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .cos) },
            .square: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .square) },
            .floor: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .floor) },
            .ceil: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .ceil) },
            .round: { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .round) },
        ]
    }
}
