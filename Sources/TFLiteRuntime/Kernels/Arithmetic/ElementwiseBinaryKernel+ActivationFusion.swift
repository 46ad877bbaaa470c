/// A float32 ADD, SUB or MUL followed by a RELU-like activation (a residual connection's ADD
/// then RELU in BlazeFace-style detectors): the activation runs on each run of outputs right
/// after the operation writes it, while it is in L1 (``ActivationFusion``).
extension ElementwiseBinaryKernel: ActivationFusingKernel {
    /// Fuses on the float32 paths that write whole runs (same shapes, a periodic input, or the
    /// serial walk), for ADD, SUB and MUL; the activation then sees the values the operator's own
    /// clamp produced, as it would reading them back.
    func fuse(_ activation: FloatActivation, writingTo output: Int) -> Bool {
        guard writesFloatRuns else { return false }
        fusedActivation = activation
        fusedOutput = output
        return true
    }

    func runUnfused(_ tensors: TensorTable) throws(InterpreterError) {
        let activation = fusedActivation, output = fusedOutput
        fusedActivation = nil
        fusedOutput = nil
        defer {
            fusedActivation = activation
            fusedOutput = output
        }
        try run(tensors)
    }
}
