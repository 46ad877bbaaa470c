import TFLiteModel

extension KernelRegistry {
    /// Arithmetic, comparison and logical operators.
    static var arithmeticKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 0): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .add) },  // ADD
            .init(rawValue: 41): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .sub) },  // SUB
            .init(rawValue: 18): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .mul) },  // MUL
            .init(rawValue: 42): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .div) },  // DIV
            .init(rawValue: 99): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .squaredDifference) },  // SQUARED_DIFFERENCE
            .init(rawValue: 55): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .maximum) },  // MAXIMUM
            .init(rawValue: 57): { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .minimum) },  // MINIMUM
            .init(rawValue: 58): { node throws(InterpreterError) in try ComparisonKernel(node, .less) },  // LESS
            .init(rawValue: 63): { node throws(InterpreterError) in try ComparisonKernel(node, .lessEqual) },  // LESS_EQUAL
            .init(rawValue: 61): { node throws(InterpreterError) in try ComparisonKernel(node, .greater) },  // GREATER
            .init(rawValue: 62): { node throws(InterpreterError) in try ComparisonKernel(node, .greaterEqual) },  // GREATER_EQUAL
            .init(rawValue: 71): { node throws(InterpreterError) in try ComparisonKernel(node, .equal) },  // EQUAL
            .init(rawValue: 72): { node throws(InterpreterError) in try ComparisonKernel(node, .notEqual) },  // NOT_EQUAL
            .init(rawValue: 86): { node throws(InterpreterError) in try LogicalKernel(node, .and) },  // LOGICAL_AND
            .init(rawValue: 84): { node throws(InterpreterError) in try LogicalKernel(node, .or) },  // LOGICAL_OR
            .init(rawValue: 87): { node throws(InterpreterError) in try LogicalKernel(node, .not) },  // LOGICAL_NOT
        ]
    }
}
