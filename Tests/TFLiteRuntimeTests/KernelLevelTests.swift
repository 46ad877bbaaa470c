import CTFLiteKernels
import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime

/// The C micro-kernels have one variant per instruction set (portable, AVX2+FMA, AVX-512),
/// chosen by the CPU at run time, so the conformance suite alone only exercises the widest one
/// this machine has. Here the convolution-family and MUL cases run with each variant the CPU supports.
@Suite(.serialized) struct KernelLevelTests {
    static let cases = ConformanceCase.all.filter { testCase in
        ["conv", "fully_connected", "batch_matmul", "hybrid", "model_cnn", "task_", "mul_"].contains { testCase.name.contains($0) }
    }

    @Test(arguments: [0, 2, 3])
    func everyVariantMatchesLiteRT(_ level: Int32) throws {
        let chosen = tfl_kernels_limit_level(level)
        defer { _ = tfl_kernels_limit_level(99) }
        guard chosen == level else { return }  // the CPU lacks this variant
        #expect(Self.cases.count > 100)
        for testCase in Self.cases { try ConformanceTests.check(testCase) }
    }
}

extension KernelLevelTests {
    /// The vectorized requantization against the scalar reference (`FixedPoint.multiply`) on
    /// values the conformance models rarely reach: accumulators near the int32 limits, every
    /// shift LiteRT produces (−31…30), multipliers across their range, INT32_MIN × INT32_MIN.
    @Test(arguments: [0, 2, 3])
    func requantizationIsBitExact(_ level: Int32) {
        let chosen = tfl_kernels_limit_level(level)
        defer { _ = tfl_kernels_limit_level(99) }
        guard chosen == level else { return }
        var generator = SystemRandomNumberGenerator()
        let count = 4099  // not a multiple of any vector width: the tails run too
        var acc = (0..<count).map { _ in Int32.random(in: .min ... .max, using: &generator) }
        var bias = (0..<count).map { _ in Int32.random(in: -1 << 20 ... 1 << 20, using: &generator) }
        var multipliers = (0..<count).map { _ in Int32.random(in: 1 << 30 ... .max, using: &generator) }
        let shifts = (0..<count).map { _ in Int32.random(in: -31 ... 30, using: &generator) }
        for i in stride(from: 0, to: count, by: 7) { acc[i] = Int32.random(in: -300_000 ... 300_000, using: &generator) }
        acc[0] = .min; bias[0] = 0; multipliers[0] = .min  // the saturating case
        acc[1] = .max; acc[2] = .min; bias[2] = 0
        for (zeroPoint, low, high) in [(Int32(-3), Int32(-128), Int32(127)), (131, 0, 255)] {
            var output = [UInt8](repeating: 0, count: count)
            tfl_requantize_8bit(acc, bias, multipliers, shifts, zeroPoint, low, high, &output, count)
            var mismatches = 0
            for i in 0..<count {
                let multiplier = FixedPoint.Multiplier(multiplier: multipliers[i], shift: Int(shifts[i]))
                let value = FixedPoint.multiply(acc[i] &+ bias[i], by: multiplier) &+ zeroPoint
                let expected = UInt8(truncatingIfNeeded: min(max(value, low), high))
                if output[i] != expected { mismatches += 1 }
            }
            #expect(mismatches == 0, "level \(level), zero point \(zeroPoint): \(mismatches) of \(count) differ")
        }
    }
}
