#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// The elementwise one-input operators sharing ``ElementwiseUnaryKernel``.
enum UnaryOperation: Sendable {
    case relu, relu6, reluN1To1, leakyRelu, logistic, tanh, hardSwish, elu
    /// GELU, exact (through erfc) or with `GeluOptions.approximate` (tanh).
    case gelu, geluApproximate
    case exp, log, sqrt, rsqrt, abs, neg
    case sin, cos, square, floor, ceil, round

    /// How many times a plain elementwise pass (`Interpreter.Options.elementWork` per element) the
    /// float function costs beyond it, for the work limit: measured in a release build, 2^24
    /// elements, against RELU's 1 ns per element: tanh 70 ns; sqrt, rsqrt and elu 10–13 ns;
    /// exp, log, sin, cos and gelu 6–8 ns. 8-bit and int16 inputs use tables and cost nothing extra.
    var floatCostFactor: Int {
        switch self {
        case .tanh: 128
        case .sqrt, .rsqrt, .elu: 32
        case .exp, .log, .sin, .cos, .gelu, .geluApproximate: 16
        default: 0
        }
    }

    /// Element types LiteRT implements.
    var supportedTypes: Set<TensorType> {
        switch self {
        case .relu, .relu6, .reluN1To1, .leakyRelu: [.float32, .int8, .uint8, .int16]
        case .logistic, .tanh: [.float32, .int8, .uint8, .int16]
        case .hardSwish: [.float32, .int8, .uint8]
        case .elu: [.float32, .int8]
        case .gelu, .geluApproximate: [.float32, .int8, .uint8]
        case .exp, .log, .rsqrt, .sqrt: [.float32, .int8, .int16]
        case .abs: [.float32, .int8, .int16, .int32]
        case .neg: [.float32, .int32, .int64]
        case .sin, .cos, .square, .floor, .ceil, .round: [.float32]
        }
    }

    /// The float function.
    func apply(_ x: Float, alpha: Float) -> Float {
        switch self {
        case .relu: return max(0, x)
        case .relu6: return min(max(0, x), 6)
        case .reluN1To1: return min(max(-1, x), 1)
        case .leakyRelu: return x > 0 ? x : x * alpha
        case .logistic:
            if x > 16.619047164916992 { return 1 }
            if x < -9 { return expf(x) }
            return 1 / (1 + expf(-x))
        case .tanh: return tanhf(x)
        case .hardSwish: return x * min(max(x + 3, 0), 6) / 6
        case .elu: return x < 0 ? expm1f(x) : x
        case .gelu: return Self.gelu(x)
        case .geluApproximate: return Self.geluApproximate(x)
        case .exp: return expf(x)
        case .log: return logf(x)
        case .sqrt: return x.squareRoot()
        case .rsqrt: return 1 / x.squareRoot()
        case .abs: return Swift.abs(x)
        case .neg: return -x
        case .sin: return sinf(x)
        case .cos: return cosf(x)
        case .square: return x * x
        case .floor: return x.rounded(.down)
        case .ceil: return x.rounded(.up)
        // LiteRT rounds half to even.
        case .round: return x.rounded(.toNearestOrEven)
        }
    }

    /// x · Φ(x), Φ the standard normal distribution: ½ · x · erfcf(−x / √2).
    static func gelu(_ x: Float) -> Float { 0.5 * x * erfcf(x * -Float(0.5).squareRoot()) }

    /// ½ · x · (1 + tanhf(√(2/π) · (x + 0.044715 · x³))).
    static func geluApproximate(_ x: Float) -> Float {
        let sqrt2OverPi = Float(0.7978845608028654)
        return 0.5 * x * (1 + tanhf(sqrt2OverPi * (x + 0.044715 * x * x * x)))
    }

    /// The clamp range of the ReLU family in real values.
    var reluRange: (min: Float, max: Float)? {
        switch self {
        case .relu: (0, .infinity)
        case .relu6: (0, 6)
        case .reluN1To1: (-1, 1)
        default: nil
        }
    }
}

extension UnaryOperation {
    /// GELU's variant from `GeluOptions.approximate`.
    static func geluVariant(_ node: Node) throws(InterpreterError) -> UnaryOperation {
        try node.options(expecting: GeluOptions.self).approximate ? .geluApproximate : .gelu
    }
}
