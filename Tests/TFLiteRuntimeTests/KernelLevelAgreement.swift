import Foundation
import Testing
@testable import TFLiteRuntime

/// Runs of one float model at every kernel level this CPU has, on 1, 2 and 3 threads: where
/// kernel levels take different routes that must give the same bits (a vector GEMM and the
/// portable loops).
enum KernelLevelAgreement {
    /// Expects the model's first output, at every level and thread count, within `bounds` of
    /// `expected` (each |y − expected| ≤ bound) and bit-identical across all the runs.
    static func expectAgreement(_ data: Data, input x: [Float], expected: [Double], bounds: [Double], _ label: String) throws {
        var outputs: [(String, [Float])] = []
        for variant in KernelVariant.allCases where variant.isSupported {
            for threads in 1...3 {
                var y: [Float] = []
                try variant.run { () throws in
                    y = try Interpreter.firstOutput(of: data, inputs: [Data(x.withUnsafeBytes { $0 })], threads: threads, as: Float.self)
                }
                #expect(y.count == expected.count, "\(label), \(variant), \(threads) threads")
                let worst = zip(zip(y, expected), bounds).map { abs(Double($0.0) - $0.1) / $1 }.max() ?? .infinity
                #expect(worst <= 1, "\(label), \(variant), \(threads) threads: \(worst) × the bound off")
                outputs.append(("\(variant), \(threads) threads", y))
            }
        }
        for (name, y) in outputs.dropFirst() {
            #expect(y.map(\.bitPattern) == outputs[0].1.map(\.bitPattern), "\(label): \(name) differs from \(outputs[0].0)")
        }
    }

    /// Whether this CPU has a vector kernel level beside the portable one.
    static var hasVectorLevel: Bool { KernelVariant.allCases.filter(\.isSupported).count > 1 }
}
