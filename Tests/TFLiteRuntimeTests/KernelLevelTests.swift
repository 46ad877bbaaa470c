import CTFLiteKernels
import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime

/// The C micro-kernels have one variant per instruction set (portable, AVX2+FMA, AVX-512),
/// chosen by the CPU at run time, so the conformance suite alone only exercises the widest one
/// this machine has. Here the convolution-family cases run with each variant the CPU supports.
@Suite(.serialized) struct KernelLevelTests {
    static let cases = ConformanceCase.all.filter { testCase in
        ["conv", "fully_connected", "batch_matmul", "hybrid", "model_cnn", "task_"].contains { testCase.name.contains($0) }
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
