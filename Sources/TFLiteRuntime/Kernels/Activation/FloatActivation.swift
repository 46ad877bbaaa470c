import CTFLiteKernels

/// A float32 activation operator applied in place, to a convolution's output tiles as they are
/// written (``ActivationFusion``): RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU and HARD_SWISH, each
/// computing what ``ElementwiseUnaryKernel`` computes for it, value for value, however the
/// values are cut into runs.
struct FloatActivation: Sendable, Equatable {
    let operation: UnaryOperation
    /// LEAKY_RELU's slope (0 for the others).
    let alpha: Float

    /// The activation for `operation`, nil for operators that do not fuse: the costly ones
    /// (TANH, ELU, EXP, … would keep a convolution's tile out of cache longer than their own
    /// pass) and LOGISTIC, whose `tfl_logistic_f32` rounds a run's short tail and any 64-value
    /// block holding a very negative input by the scalar function (about 1 ulp apart from the
    /// vector one), so its bits depend on where runs are cut.
    init?(_ operation: UnaryOperation, alpha: Float) {
        switch operation {
        case .relu, .relu6, .reluN1To1, .leakyRelu, .hardSwish: break
        default: return nil
        }
        self.operation = operation
        self.alpha = alpha
    }

    /// The clamps and LEAKY_RELU as tfl_activation_f32's arguments (`max(0, x)` is
    /// `x >= 0 ? x : 0`, `min(v, 6)` is `6 < v ? 6 : v`): whether leaky, alpha, lo, hi; nil for
    /// the activations computed in Swift.
    var vectorForm: (leaky: Bool, alpha: Float, lo: Float, hi: Float)? {
        switch operation {
        case .relu: (false, 0, 0, .infinity)
        case .relu6: (false, 0, 0, 6)
        case .reluN1To1: (false, 0, -1, 1)
        case .leakyRelu: (true, alpha, 0, 0)
        default: nil
        }
    }

    /// Applies the activation to `count` values at `y`, in place.
    @inline(__always)
    func apply(_ y: UnsafeMutablePointer<Float>, count: Int) {
        // The clamps and LEAKY_RELU in C at the thread's vector width.
        if let form = vectorForm {
            tfl_activation_f32(y, count, form.leaky ? 1 : 0, form.alpha, form.lo, form.hi)
            return
        }
        switch operation {
        case .hardSwish: for i in 0..<count { let x = y[i]; y[i] = x * min(max(x + 3, 0), 6) / 6 }
        default: for i in 0..<count { y[i] = operation.apply(y[i], alpha: alpha) }
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
