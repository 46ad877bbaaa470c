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

/// The block-sparse int8 product, run once per kernel variant by the suites of
/// KernelLevelTests.swift.
extension KernelChecks {
    /// `tfl_sparse_s8` exactly against `tfl_gemm_s8` on the same (dense) weights and against the
    /// definition, with the column sums the encoding gives: depths around the 16-channel blocks
    /// (a short last block moved back, depth exactly one block), block densities from 10 % to all
    /// blocks, block counts around the four-block vector steps, channel counts around the
    /// four-channel groups, channels with no block, the extreme products (−128 · −128 over a
    /// whole channel), one to three rows, a channel range taken by offsetting `starts` and the
    /// column sums, an accumulator stride wider than the channels (the gap stays untouched), and
    /// 16 to 40 rows in tiles of 16 (where the CPU multiplies several rows at once; a depth not a
    /// multiple of 4 goes row by row) against the same rows one by one (no scratch).
    static func sparse8BitProductIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            // (pixels, depth, channels, density of 16-channel blocks)
            let shapes = [(1, 16, 1, 1.0), (1, 17, 3, 0.5), (1, 40, 5, 0.6), (2, 64, 4, 0.3), (1, 272, 80, 0.25), (3, 130, 9, 0.4),
                          (1, 512, 33, 0.1), (1, 1024, 17, 0.2), (2, 100, 6, 1.0), (1, 31, 7, 0.7), (16, 64, 20, 0.3),
                          (17, 280, 33, 0.25), (35, 100, 5, 0.5), (40, 30, 3, 0.6), (33, 16, 16, 1.0)]
            let block = Int(TFL_SPARSE_S8_BLOCK)
            for (pixels, depth, channels, density) in shapes {
                var weights = [Int8](repeating: 0, count: channels * depth)
                for j in 0..<channels {
                    for start in stride(from: 0, to: depth, by: block) where j != 0 && Double.random(in: 0..<1, using: &generator) < density {
                        for k in start..<min(start + block, depth) { weights[j * depth + k] = Int8.random(in: -128...127, using: &generator) }
                    }
                }
                // Channel 0: no block. The last channel (when not 0): every weight −128.
                if channels > 1 { for k in 0..<depth { weights[(channels - 1) * depth + k] = -128 } }
                var x = (0..<(pixels * depth)).map { _ in Int8.random(in: -128...127, using: &generator) }
                for k in 0..<depth { x[k] = -128 }  // row 0 all −128: the largest products
                let format = tfl_gemm_s8_format()
                var packed = [UInt8](repeating: 0, count: tfl_gemm_s8_packed_size(depth, channels, format))
                var denseSums = [Int32](repeating: 0, count: channels)
                tfl_gemm_s8_pack(weights, channels, depth, &packed, &denseSums, format, 0)
                let blocks = tfl_sparse_s8_count(weights, channels, depth)
                var expectedBlocks = 0
                for j in 0..<channels {
                    for start in stride(from: 0, to: depth, by: block)
                    where weights[(j * depth + start)..<(j * depth + min(start + block, depth))].contains(where: { $0 != 0 }) {
                        expectedBlocks += 1
                    }
                }
                #expect(blocks == expectedBlocks, "\(depth)→\(channels): block count")
                var starts = [Int32](repeating: -1, count: channels + 1)
                var index = [Int32](repeating: -1, count: max(blocks, 1))
                var values = [Int8](repeating: 99, count: max(blocks, 1) * block)
                var columnSums = [Int32](repeating: -1, count: channels)
                tfl_sparse_s8_encode(weights, channels, depth, &starts, &index, &values, &columnSums)
                #expect(columnSums == denseSums, "\(depth)→\(channels): column sums \(variant)")
                #expect(index[0..<blocks].allSatisfy { $0 >= 0 && Int($0) + block <= depth }, "\(depth)→\(channels): blocks inside the row")
                let stride = (channels + 15) / 16 * 16 + 5
                var dense = [Int32](repeating: 7, count: pixels * stride)
                var sparse = [Int32](repeating: 7, count: pixels * stride)
                tfl_gemm_s8(&dense, stride, x, depth, pixels, packed, depth, channels, format, 0)
                // With scratch: a tile of rows at once where the CPU can (multirow).
                var scratch = [Int32](repeating: -1, count: tfl_sparse_s8_scratch_count(depth))
                tfl_sparse_s8(&sparse, stride, x, depth, pixels, starts, index, values, columnSums, depth, channels, &scratch)
                var rowByRow = [Int32](repeating: 7, count: pixels * stride)
                tfl_sparse_s8(&rowByRow, stride, x, depth, pixels, starts, index, values, columnSums, depth, channels, nil)
                #expect(rowByRow == sparse, "\(pixels)×\(depth)→\(channels): row by row differs from the tiles \(variant)")
                var mismatches = 0, definition = 0, gap = 0
                for p in 0..<pixels {
                    for j in 0..<stride {
                        let got = sparse[p * stride + j]
                        guard j < channels else {
                            if got != 7 { gap += 1 }
                            continue
                        }
                        if got != dense[p * stride + j] { mismatches += 1 }
                        var sum: Int32 = 0
                        for k in 0..<depth { sum &+= Int32(x[p * depth + k]) &* Int32(weights[j * depth + k]) }
                        if got != sum { definition += 1 }
                    }
                }
                #expect(mismatches == 0, "\(pixels)×\(depth)→\(channels): \(mismatches) differ from the GEMM \(variant)")
                #expect(definition == 0, "\(pixels)×\(depth)→\(channels): \(definition) differ from the definition \(variant)")
                #expect(gap == 0, "\(pixels)×\(depth)→\(channels): \(gap) values written past the channels \(variant)")
                // Channels 1 ..< channels alone, from `starts + 1` and `columnSums + 1`.
                guard channels > 1 else { continue }
                let rest = channels - 1
                var part = [Int32](repeating: 7, count: pixels * rest)
                tfl_sparse_s8(&part, rest, x, depth, pixels, Array(starts[1...]), index, values, Array(columnSums[1...]), depth, rest,
                              &scratch)
                let expected = (0..<pixels).flatMap { p in sparse[(p * stride + 1)..<(p * stride + channels)] }
                #expect(part == expected, "\(pixels)×\(depth)→\(channels) channel range \(variant)")
            }
        }
    }
}

/// The one-row sparse float product, run once per kernel variant by the suites of
/// KernelLevelTests.swift.
extension KernelChecks {
    /// `tfl_sparse_gemv_f32` in runs of 1 and of 4, bit for bit against `tfl_gemm_f32` on one row
    /// of the same (dense) weights and against fused multiply-adds from zero over the nonzero
    /// weights in input channel order, then bias and clamp: random zeros and zeros in 1 × 4
    /// blocks, channel counts around the 16-lane groups, depths around the runs (a run moved back
    /// at the end of the row, over weights the previous run covered), channels with no nonzero
    /// weight and one fully dense (the others padded to its entries), the entry counts
    /// `tfl_sparse_gemv_f32_steps` gives, no bias, ReLU6 bounds, a NaN input (NaN out where a
    /// nonzero weight meets it; where only zero weights do, skipped, against the definition
    /// only), and the groups from the second on taken by offsetting the group starts.
    static func sparseRowProductIsExact(_ variant: KernelVariant) {
        variant.run {
            var generator = SystemRandomNumberGenerator()
            // (depth, channels, density, 1 × 4 blocks)
            let shapes = [(1, 1, 1.0, false), (16, 3, 0.3, false), (33, 17, 0.2, true), (100, 40, 0.1, false), (384, 16, 0.05, true),
                          (7, 33, 0.5, false), (300, 70, 0.08, true), (6, 20, 0.6, false), (130, 35, 0.15, true)]
            let lanes = Int(TFL_SPARSE_GEMV_LANES)
            for (depth, channels, density, blocked) in shapes {
                var weights = [Float](repeating: 0, count: channels * depth)
                for j in 0..<channels {
                    var k = 0
                    while k < depth {
                        let run = blocked ? 4 : 1
                        let keep = Double.random(in: 0..<1, using: &generator) < density
                        for i in k..<min(k + run, depth) where keep { weights[j * depth + i] = Float.random(in: -1...1, using: &generator) }
                        k += run
                    }
                }
                if channels > 1 { for k in 0..<depth { weights[k] = 0 } }  // channel 0: no nonzero weight
                if channels > 2 { for k in 0..<depth { weights[2 * depth + k] = Float.random(in: 0.5...1, using: &generator) } }
                if channels > 3, depth >= 6 {  // channel 3: nonzero at the last two inputs (a run moved back)
                    weights[3 * depth + depth - 6] = 0.25
                    weights[3 * depth + depth - 2] = -0.5
                    weights[3 * depth + depth - 1] = 0.75
                }
                let baseInput = (0..<depth).map { _ in Float.random(in: -4...4, using: &generator) }
                let bias = (0..<channels).map { _ in Float.random(in: -1...1, using: &generator) }
                var packed = [Float](repeating: 0, count: tfl_gemm_f32_packed_count(depth, channels))
                tfl_gemm_f32_pack(weights, channels, depth, &packed)
                for run in [Int(TFL_SPARSE_GEMV_SINGLES), Int(TFL_SPARSE_GEMV_QUADS)] where depth >= run {
                    var x = baseInput
                    let steps = tfl_sparse_gemv_f32_steps(weights, channels, depth, Int32(run))
                    var expectedSteps = 0
                    for group in stride(from: 0, to: channels, by: lanes) {
                        expectedSteps += (group..<min(group + lanes, channels)).map { j in
                            // Runs greedily from each uncovered nonzero weight.
                            var runs = 0, covered = 0
                            for k in 0..<depth where weights[j * depth + k] != 0 && k >= covered {
                                covered = min(k, depth - run) + run
                                runs += 1
                            }
                            return runs
                        }.max() ?? 0
                    }
                    #expect(steps == expectedSteps, "\(depth)→\(channels) runs of \(run): entries")
                    let groups = (channels + lanes - 1) / lanes
                    var starts = [Int32](repeating: -1, count: groups + 1)
                    var index = [Int32](repeating: -1, count: max(steps, 1) * lanes)
                    var values = [Float](repeating: .nan, count: max(steps, 1) * lanes * run)
                    tfl_sparse_gemv_f32_encode(weights, channels, depth, Int32(run), &starts, &index, &values)
                    // Finite inputs, then a NaN input where channel 2 (dense) meets it: the GEMM then
                    // gives NaN everywhere (NaN · 0), the sparse product where a nonzero weight
                    // meets it (or a zero one inside a run), so only channel 2 is checked.
                    let unbounded = Float.greatestFiniteMagnitude
                    for (withBias, low, high, nan) in [(true, Float(0), Float(6), false), (false, -unbounded, unbounded, false), (true, 0, 6, true)] {
                        if nan { guard channels > 2 else { continue }; x[depth / 2] = .nan }
                        var dense = [Float](repeating: 7, count: channels)
                        var sparse = [Float](repeating: 7, count: channels + 2)
                        bias.withUnsafeBufferPointer { b in
                            let biasPointer = withBias ? b.baseAddress : nil
                            tfl_gemm_f32(&dense, channels, x, depth, 1, packed, depth, channels, biasPointer, low, high)
                            tfl_sparse_gemv_f32(&sparse, x, Int32(run), starts, index, values, channels, biasPointer, low, high)
                        }
                        if nan {
                            #expect(sparse[2].isNaN && dense[2].isNaN, "\(depth)→\(channels) runs of \(run): NaN input, NaN out")
                            continue
                        }
                        var mismatches = 0, definition = 0
                        for j in 0..<channels {
                            if sparse[j].bitPattern != dense[j].bitPattern { mismatches += 1 }
                            var sum: Float = 0
                            for k in 0..<depth where weights[j * depth + k] != 0 { sum = sum.addingProduct(x[k], weights[j * depth + k]) }
                            if withBias { sum += bias[j] }
                            sum = low >= sum ? low : sum
                            sum = high < sum ? high : sum
                            if sparse[j].bitPattern != sum.bitPattern { definition += 1 }
                        }
                        let shape = "\(depth)→\(channels) runs of \(run) bias \(withBias)"
                        #expect(mismatches == 0, "\(shape): \(mismatches) differ from the GEMM \(variant)")
                        #expect(definition == 0, "\(shape): \(definition) differ from the definition \(variant)")
                        #expect(sparse[channels...].allSatisfy { $0 == 7 }, "\(shape): written past the channels \(variant)")
                    }
                    // The groups from the second on alone.
                    guard channels > lanes else { continue }
                    x = baseInput
                    var whole = [Float](repeating: 0, count: channels)
                    tfl_sparse_gemv_f32(&whole, x, Int32(run), starts, index, values, channels, bias, -1, 1)
                    var part = [Float](repeating: 7, count: channels - lanes)
                    bias.withUnsafeBufferPointer { b in
                        tfl_sparse_gemv_f32(&part, x, Int32(run), Array(starts[1...]), index, values, channels - lanes,
                                            b.baseAddress.map { $0 + lanes }, -1, 1)
                    }
                    #expect(part.map(\.bitPattern) == whole[lanes...].map(\.bitPattern), "\(depth)→\(channels) runs of \(run): later groups \(variant)")
                }
            }
        }
    }
}
