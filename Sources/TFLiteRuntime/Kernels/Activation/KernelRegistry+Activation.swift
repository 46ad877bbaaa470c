import TFLiteModel

extension KernelRegistry {
    /// Activation operators.
    static var activationKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 25): { node throws(InterpreterError) in try SoftmaxKernel(node) },  // SOFTMAX
            .init(rawValue: 50): { node throws(InterpreterError) in try LogSoftmaxKernel(node) },  // LOG_SOFTMAX
            .init(rawValue: 54): { node throws(InterpreterError) in try PReluKernel(node) },  // PRELU
            .init(rawValue: 19): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .relu) },  // RELU
            .init(rawValue: 21): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .relu6) },  // RELU6
            .init(rawValue: 20): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .reluN1To1) },  // RELU_N1_TO_1
            .init(rawValue: 98): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .leakyRelu) },  // LEAKY_RELU
            .init(rawValue: 14): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .logistic) },  // LOGISTIC
            .init(rawValue: 28): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .tanh) },  // TANH
            .init(rawValue: 117): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .hardSwish) },  // HARD_SWISH
            .init(rawValue: 111): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .elu) },  // ELU
            .init(rawValue: 150): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, try UnaryOperation.geluVariant(node)) },  // GELU
            .init(rawValue: 47): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .exp) },  // EXP
            .init(rawValue: 73): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .log) },  // LOG
            .init(rawValue: 75): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .sqrt) },  // SQRT
            .init(rawValue: 76): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .rsqrt) },  // RSQRT
            .init(rawValue: 101): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .abs) },  // ABS
            .init(rawValue: 59): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .neg) },  // NEG
            .init(rawValue: 66): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .sin) },  // SIN
            .init(rawValue: 108): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .cos) },  // COS
            .init(rawValue: 92): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .square) },  // SQUARE
            .init(rawValue: 8): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .floor) },  // FLOOR
            .init(rawValue: 104): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .ceil) },  // CEIL
            .init(rawValue: 116): { node throws(InterpreterError) in try ElementwiseUnaryKernel(node, .round) },  // ROUND
        ]
    }
}
