import CTFLiteKernels

/// A float32 activation operator applied in place, to a convolution's output tiles as they are
/// written (``ActivationFusion``): RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, HARD_SWISH and
/// LOGISTIC, each computing what ``ElementwiseUnaryKernel`` computes for it, value for value
/// (the same float expression, or the same `tfl_logistic_f32`).
struct FloatActivation: Sendable, Equatable {
    let operation: UnaryOperation
    /// LEAKY_RELU's slope (0 for the others).
    let alpha: Float

    /// The activation for `operation`, nil for operators that do not fuse (the costly ones:
    /// TANH, ELU, EXP, … would keep a convolution's tile out of cache longer than their own pass).
    init?(_ operation: UnaryOperation, alpha: Float) {
        switch operation {
        case .relu, .relu6, .reluN1To1, .leakyRelu, .hardSwish, .logistic: break
        default: return nil
        }
        self.operation = operation
        self.alpha = alpha
    }

    /// Applies the activation to `count` values at `y`, in place.
    @inline(__always)
    func apply(_ y: UnsafeMutablePointer<Float>, count: Int) {
        let a = alpha
        // One pointer per loop, so each vectorizes without an overlap check.
        switch operation {
        case .relu: for i in 0..<count { let x = y[i]; y[i] = max(0, x) }
        case .relu6: for i in 0..<count { let x = y[i]; y[i] = min(max(0, x), 6) }
        case .reluN1To1: for i in 0..<count { let x = y[i]; y[i] = min(max(-1, x), 1) }
        case .leakyRelu: for i in 0..<count { let x = y[i]; y[i] = x > 0 ? x : x * a }
        case .hardSwish: for i in 0..<count { let x = y[i]; y[i] = x * min(max(x + 3, 0), 6) / 6 }
        case .logistic: tfl_logistic_f32(y, y, count)
        default: for i in 0..<count { y[i] = operation.apply(y[i], alpha: a) }
        }
    }

    /// Applies the activation to `rows` runs of `count` values, `stride` apart, in place.
    @inline(__always)
    func apply(_ y: UnsafeMutablePointer<Float>, rows: Int, count: Int, stride: Int) {
        if stride == count {
            apply(y, count: rows * count)
            return
        }
        for row in 0..<rows { apply(y + row * stride, count: count) }
    }
}
