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

/// Streaming error statistics of quantized values against float references: element count, sum
/// of squared errors, sum of squared references, largest absolute error. Sample after sample;
/// nothing but these sums is kept.
package struct ErrorStatistics: Equatable, Sendable {
    public private(set) var count = 0
    public private(set) var squaredError: Double = 0
    public private(set) var squaredReference: Double = 0
    public private(set) var maxError: Double = 0

    public init() {}

    /// Adds `quantized` (dequantized values) against `reference`, element by element.
    public mutating func add(reference: UnsafeBufferPointer<Float>, quantized: UnsafeBufferPointer<Float>) {
        let n = min(reference.count, quantized.count)
        var error: Double = 0, signal: Double = 0, largest = maxError
        for i in 0..<n {
            let r = Double(reference[i]), d = Double(quantized[i]) - r
            error += d * d
            signal += r * r
            largest = max(largest, abs(d))
        }
        count += n
        squaredError += error
        squaredReference += signal
        maxError = largest
    }

    /// Root mean squared error.
    public var rmse: Double { count > 0 ? (squaredError / Double(count)).squareRoot() : 0 }

    /// Signal-to-quantization-noise ratio in dB (infinite when there is no error).
    public var sqnr: Double {
        guard squaredError > 0 else { return .infinity }
        guard squaredReference > 0 else { return -.infinity }
        return 10 * log10(squaredReference / squaredError)
    }
}
