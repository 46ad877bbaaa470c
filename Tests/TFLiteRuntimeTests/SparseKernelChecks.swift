import CTFLiteKernels
import Testing
@testable import TFLiteRuntime

/// The sparse float product against the dense GEMM and its definition, run once per kernel
/// variant by the suites of KernelLevelTests.swift.
extension KernelChecks {
    /// `tfl_sparse_f32` bit for bit against `tfl_gemm_f32` on the same (dense) weights and
    /// against fused multiply-adds from zero over the nonzero weights in input channel order,
    /// then bias and clamp: pixel counts around the 16-lane vectors and the 64-pixel tile, depths
    /// around the 16 × 16 transposed blocks, odd channel counts (the unpaired last channel),
    /// channels with no nonzero weight and one fully dense, a channel range taken by offsetting
    /// `starts`, no bias, ReLU6 bounds, an output stride wider than the channels (the gap must
    /// stay untouched).
    static func sparseProductIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            // (pixels, depth, channels, density)
            let shapes = [(1, 16, 3, 0.3), (5, 7, 1, 0.5), (16, 33, 17, 0.3), (17, 16, 40, 0.2), (63, 48, 9, 0.3), (64, 64, 16, 0.3),
                          (65, 100, 2, 0.1), (130, 24, 33, 0.3), (200, 17, 5, 0.6), (36, 384, 12, 0.3)]
            for (pixels, depth, channels, density) in shapes {
                var weights = (0..<(channels * depth)).map { _ in
                    Double.random(in: 0..<1, using: &generator) < density ? Float.random(in: -1...1, using: &generator) : 0
                }
                for k in 0..<depth { weights[k] = 0 }  // channel 0: no nonzero weight
                if channels > 2 { for k in 0..<depth { weights[2 * depth + k] = Float.random(in: 0.5...1, using: &generator) } }
                var x = (0..<(pixels * depth)).map { _ in Float.random(in: -4...4, using: &generator) }
                for i in stride(from: 0, to: x.count, by: 11) { x[i] = 0 }
                let bias = (0..<channels).map { _ in Float.random(in: -1...1, using: &generator) }
                var packed = [Float](repeating: 0, count: tfl_gemm_f32_packed_count(depth, channels))
                tfl_gemm_f32_pack(weights, channels, depth, &packed)
                let nonzero = tfl_sparse_f32_count(weights, channels, depth)
                #expect(nonzero == weights.filter { $0 != 0 }.count)
                var starts = [Int32](repeating: -1, count: channels + 1)
                var index = [Int32](repeating: -1, count: max(nonzero, 1))
                var values = [Float](repeating: .nan, count: max(nonzero, 1))
                tfl_sparse_f32_encode(weights, channels, depth, &starts, &index, &values)
                var scratch = [Float](repeating: .nan, count: tfl_sparse_f32_scratch_count(depth, channels))
                let stride = channels + 3
                for (withBias, low, high) in [(true, Float(0), Float(6)), (false, -Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude)] {
                    var dense = [Float](repeating: 7, count: pixels * stride)
                    var sparse = [Float](repeating: 7, count: pixels * stride)
                    bias.withUnsafeBufferPointer { b in
                        let biasPointer = withBias ? b.baseAddress : nil
                        tfl_gemm_f32(&dense, stride, x, depth, pixels, packed, depth, channels, biasPointer, low, high)
                        tfl_sparse_f32(&sparse, stride, x, depth, pixels, starts, index, values, depth, channels, biasPointer, low, high,
                                       &scratch)
                    }
                    var mismatches = 0, definition = 0
                    for p in 0..<pixels {
                        for j in 0..<stride {
                            let got = sparse[p * stride + j]
                            if got.bitPattern != dense[p * stride + j].bitPattern { mismatches += 1 }
                            guard j < channels else { continue }
                            var sum: Float = 0
                            for k in 0..<depth where weights[j * depth + k] != 0 { sum = sum.addingProduct(x[p * depth + k], weights[j * depth + k]) }
                            if withBias { sum += bias[j] }
                            sum = low >= sum ? low : sum
                            sum = high < sum ? high : sum
                            if got.bitPattern != sum.bitPattern { definition += 1 }
                        }
                    }
                    #expect(mismatches == 0, "\(pixels)×\(depth)→\(channels) bias \(withBias): \(mismatches) differ from the GEMM \(variant)")
                    #expect(definition == 0, "\(pixels)×\(depth)→\(channels) bias \(withBias): \(definition) differ from the definition \(variant)")
                }
                // Channels 1 ..< channels alone, from `starts + 1`.
                guard channels > 1 else { continue }
                let rest = channels - 1
                var whole = [Float](repeating: 0, count: pixels * channels)
                var part = [Float](repeating: 7, count: pixels * rest)
                tfl_sparse_f32(&whole, channels, x, depth, pixels, starts, index, values, depth, channels, nil, -1, 1, &scratch)
                let tail = Array(starts[1...])  // offsets into index and values, which stay whole
                tfl_sparse_f32(&part, rest, x, depth, pixels, tail, index, values, depth, rest, nil, -1, 1, &scratch)
                let expected = (0..<pixels).flatMap { p in whole[(p * channels + 1)..<((p + 1) * channels)] }
                #expect(part.map(\.bitPattern) == expected.map(\.bitPattern), "\(pixels)×\(depth)→\(channels) channel range \(variant)")
            }
        }
    }
}
