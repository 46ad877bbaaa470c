import TFLiteModel

extension KernelRegistry {
    /// Arithmetic, comparison and logical operators.
    static var arithmeticKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .add: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .add) },
            .sub: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .sub) },
            .mul: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .mul) },
            .div: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .div) },
            .squaredDifference: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .squaredDifference) },
            .maximum: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .maximum) },
            .minimum: { node throws(InterpreterError) in try ElementwiseBinaryKernel(node, .minimum) },
            .less: { node throws(InterpreterError) in try ComparisonKernel(node, .less) },
            .lessEqual: { node throws(InterpreterError) in try ComparisonKernel(node, .lessEqual) },
            .greater: { node throws(InterpreterError) in try ComparisonKernel(node, .greater) },
            .greaterEqual: { node throws(InterpreterError) in try ComparisonKernel(node, .greaterEqual) },
            .equal: { node throws(InterpreterError) in try ComparisonKernel(node, .equal) },
            .notEqual: { node throws(InterpreterError) in try ComparisonKernel(node, .notEqual) },
            .logicalAnd: { node throws(InterpreterError) in try LogicalKernel(node, .and) },
            .logicalOr: { node throws(InterpreterError) in try LogicalKernel(node, .or) },
            .logicalNot: { node throws(InterpreterError) in try LogicalKernel(node, .not) },
            .floorDiv: { node throws(InterpreterError) in try FloorAndPowerKernel(node, .floorDiv) },
            .floorMod: { node throws(InterpreterError) in try FloorAndPowerKernel(node, .floorMod) },
            .pow: { node throws(InterpreterError) in try FloorAndPowerKernel(node, .pow) },
            .sign: SignKernel.init,
        ]
    }
}
