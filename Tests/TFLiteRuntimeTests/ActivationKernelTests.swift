import CTFLiteKernels
import Testing
@testable import TFLiteRuntime

/// `tfl_activation_f32` (a fused activation's in-place pass) at every kernel level this CPU has
/// against the float expressions `ElementwiseUnaryKernel` runs for LEAKY_RELU, RELU, RELU6 and
/// RELU_N1_TO_1, bit for bit: NaN, ±0, infinities, vector tails, nothing written past the end.
struct ActivationKernelTests {
    static let operations: [(UnaryOperation, Float)] = [(.leakyRelu, 0.1), (.leakyRelu, -0.3), (.relu, 0), (.relu6, 0), (.reluN1To1, 0)]

    @Test(arguments: KernelVariant.allCases.filter(\.isSupported))
    func everyLevelGivesTheUnaryKernelsBits(_ variant: KernelVariant) throws {
        var generator = SystemRandomNumberGenerator()
        let specials: [Float] = [.nan, -.nan, 0, -0.0, .infinity, -.infinity, 6, 6.0000005, -1, -1.0000001, 1, Float.leastNormalMagnitude / 4, -Float.leastNonzeroMagnitude]
        for (operation, alpha) in Self.operations {
            let activation = try #require(FloatActivation(operation, alpha: alpha))
            for count in [1, 3, 7, 8, 15, 16, 17, 31, 100, 1000] {
                var values = (0..<count).map { _ in Float.random(in: -8...8, using: &generator) }
                for (i, special) in specials.enumerated() where i < count { values[(i * 7) % count] = special }
                // The Swift expressions ElementwiseUnaryKernel's float loops compute.
                let expected = values.map { x -> Float in
                    switch operation {
                    case .relu: max(0, x)
                    case .relu6: min(max(0, x), 6)
                    case .reluN1To1: min(max(-1, x), 1)
                    default: x > 0 ? x : x * alpha
                    }
                }
                var output = values + [42]
                variant.run {
                    output.withUnsafeMutableBufferPointer { buffer in
                        guard let base = buffer.baseAddress else { return }
                        activation.apply(base, count: count)
                    }
                }
                #expect(output.dropLast().map(\.bitPattern) == expected.map(\.bitPattern), "\(operation) α \(alpha), \(count), \(variant)")
                #expect(output.last == 42, "wrote past the end: \(operation), \(count), \(variant)")
            }
        }
    }
}
