import TFLiteModel

extension KernelRegistry {
    /// Control flow (subgraphs run as bodies) and resource variables.
    static var controlFlowKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .while: { node throws(InterpreterError) in try WhileKernel(node) },
            .if: { node throws(InterpreterError) in try IfKernel(node) },
            .callOnce: { node throws(InterpreterError) in try CallOnceKernel(node) },
            .varHandle: { node throws(InterpreterError) in try VarHandleKernel(node) },
            .assignVariable: { node throws(InterpreterError) in try AssignVariableKernel(node) },
            .readVariable: { node throws(InterpreterError) in try ReadVariableKernel(node) },
        ]
    }
}
