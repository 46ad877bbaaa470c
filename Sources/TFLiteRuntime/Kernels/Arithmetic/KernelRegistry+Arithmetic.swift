import TFLiteModel

extension KernelRegistry {
    /// Arithmetic operators.
    static var arithmeticKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 0): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .add) },  // ADD
            .init(rawValue: 41): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .sub) },  // SUB
            .init(rawValue: 18): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .mul) },  // MUL
            .init(rawValue: 42): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .div) },  // DIV
            .init(rawValue: 99): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .squaredDifference) },  // SQUARED_DIFFERENCE
            .init(rawValue: 55): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .maximum) },  // MAXIMUM
            .init(rawValue: 57): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .minimum) },  // MINIMUM
        ]
    }
}
