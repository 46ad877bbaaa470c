import CTFLiteKernels

/// The inner loops of the convolution family: accumulators updated along contiguous output
/// channels (`acc[i] += x × w[i]`), which the compiler vectorizes.
///
/// Integer kernels stage their input as `Int32` (zero point already removed) and their weights
/// as `Int16` (weight zero point removed), so int8, uint8 and hybrid share one exact `Int32`
/// path and int16×8 an exact `Int64` one.
protocol MultiplyAccumulate {
    associatedtype Input
    associatedtype Weight
    associatedtype Accumulator

    static var zero: Accumulator { get }
    /// `acc[i] += x × w[i]` for `i < count`.
    static func axpy(_ acc: UnsafeMutablePointer<Accumulator>, _ weights: UnsafePointer<Weight>, _ x: Input, _ count: Int)
    /// `acc[i] += x[i] × w[i]` for `i < count`.
    static func multiplyAdd(_ acc: UnsafeMutablePointer<Accumulator>, _ weights: UnsafePointer<Weight>, _ x: UnsafePointer<Input>, _ count: Int)
    /// `acc[j] += Σ_k x[k] × w[k × stride + j]` for `j < count`, `k < depth`: the accumulators
    /// stay in registers while the reduction streams through (C micro-kernels where available).
    static func gemv(_ acc: UnsafeMutablePointer<Accumulator>, _ weights: UnsafePointer<Weight>, _ x: UnsafePointer<Input>,
                     depth: Int, count: Int, stride: Int)
    /// ``gemv(_:_:_:depth:count:stride:)`` for four inputs `x + p × xStride` into
    /// `acc + p × accStride`, `p < 4`, reading the weights once (pointwise convolutions).
    static func gemv4(_ acc: UnsafeMutablePointer<Accumulator>, accStride: Int, _ weights: UnsafePointer<Weight>,
                      _ x: UnsafePointer<Input>, xStride: Int, depth: Int, count: Int, stride: Int)
    /// `acc[c] += Σ_t x[t][c] × w[t][c]` for `c < count` over one output pixel's `taps` valid
    /// (input pixel, filter tap) pairs: depthwise convolution with the accumulators kept in
    /// registers across taps (C micro-kernels where available).
    static func depthwise(_ acc: UnsafeMutablePointer<Accumulator>, _ x: UnsafePointer<UnsafePointer<Input>?>,
                          _ w: UnsafePointer<UnsafePointer<Weight>?>, taps: Int, count: Int)
}

extension MultiplyAccumulate {
    @inline(__always)
    static func gemv4(_ acc: UnsafeMutablePointer<Accumulator>, accStride: Int, _ weights: UnsafePointer<Weight>,
                      _ x: UnsafePointer<Input>, xStride: Int, depth: Int, count: Int, stride: Int) {
        for p in 0..<4 { gemv(acc + p * accStride, weights, x + p * xStride, depth: depth, count: count, stride: stride) }
    }

    @inline(__always)
    static func depthwise(_ acc: UnsafeMutablePointer<Accumulator>, _ x: UnsafePointer<UnsafePointer<Input>?>,
                          _ w: UnsafePointer<UnsafePointer<Weight>?>, taps: Int, count: Int) {
        for t in 0..<taps {
            guard let input = x[t], let weights = w[t] else { continue }
            multiplyAdd(acc, weights, input, count)
        }
    }

    @inline(__always)
    static func gemv(_ acc: UnsafeMutablePointer<Accumulator>, _ weights: UnsafePointer<Weight>, _ x: UnsafePointer<Input>,
                     depth: Int, count: Int, stride: Int) {
        for k in 0..<depth { axpy(acc, weights + k * stride, x[k], count) }
    }
}

/// float32 × float32 → float32.
enum FloatMAC: MultiplyAccumulate {
    static var zero: Float { 0 }

    @inline(__always)
    static func gemv(_ acc: UnsafeMutablePointer<Float>, _ weights: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                     depth: Int, count: Int, stride: Int) {
        tfl_gemv_f32(acc, weights, x, depth, count, stride)
    }

    @inline(__always)
    static func gemv4(_ acc: UnsafeMutablePointer<Float>, accStride: Int, _ weights: UnsafePointer<Float>,
                      _ x: UnsafePointer<Float>, xStride: Int, depth: Int, count: Int, stride: Int) {
        tfl_gemv4_f32(acc, accStride, weights, x, xStride, depth, count, stride)
    }

    @inline(__always)
    static func depthwise(_ acc: UnsafeMutablePointer<Float>, _ x: UnsafePointer<UnsafePointer<Float>?>,
                          _ w: UnsafePointer<UnsafePointer<Float>?>, taps: Int, count: Int) {
        tfl_depthwise_f32(acc, x, w, taps, count)
    }

    @inline(__always)
    static func axpy(_ acc: UnsafeMutablePointer<Float>, _ weights: UnsafePointer<Float>, _ x: Float, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            let a = UnsafeRawPointer(acc + i).loadUnaligned(as: SIMD8<Float>.self)
            let w = UnsafeRawPointer(weights + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(acc + i).storeBytes(of: a + w * x, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            acc[i] += x * weights[i]
            i += 1
        }
    }

    @inline(__always)
    static func multiplyAdd(_ acc: UnsafeMutablePointer<Float>, _ weights: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int) {
        for i in 0..<count { acc[i] += x[i] * weights[i] }
    }
}

/// Int32 (offset input) × Int16 (offset weight) → Int32, exact for 8-bit data.
enum Int32MAC: MultiplyAccumulate {
    static var zero: Int32 { 0 }

    @inline(__always)
    static func gemv(_ acc: UnsafeMutablePointer<Int32>, _ weights: UnsafePointer<Int16>, _ x: UnsafePointer<Int32>,
                     depth: Int, count: Int, stride: Int) {
        tfl_gemv_i32(acc, weights, x, depth, count, stride)
    }

    @inline(__always)
    static func gemv4(_ acc: UnsafeMutablePointer<Int32>, accStride: Int, _ weights: UnsafePointer<Int16>,
                      _ x: UnsafePointer<Int32>, xStride: Int, depth: Int, count: Int, stride: Int) {
        tfl_gemv4_i32(acc, accStride, weights, x, xStride, depth, count, stride)
    }

    @inline(__always)
    static func depthwise(_ acc: UnsafeMutablePointer<Int32>, _ x: UnsafePointer<UnsafePointer<Int32>?>,
                          _ w: UnsafePointer<UnsafePointer<Int16>?>, taps: Int, count: Int) {
        tfl_depthwise_i32(acc, x, w, taps, count)
    }

    @inline(__always)
    static func axpy(_ acc: UnsafeMutablePointer<Int32>, _ weights: UnsafePointer<Int16>, _ x: Int32, _ count: Int) {
        if x == 0 { return }
        for i in 0..<count { acc[i] &+= x &* Int32(weights[i]) }
    }

    @inline(__always)
    static func multiplyAdd(_ acc: UnsafeMutablePointer<Int32>, _ weights: UnsafePointer<Int16>, _ x: UnsafePointer<Int32>, _ count: Int) {
        for i in 0..<count { acc[i] &+= x[i] &* Int32(weights[i]) }
    }
}

/// Int32 (int16 input) × Int16 (int8 weight) → Int64, LiteRT's 16×8 accumulation.
enum Int64MAC: MultiplyAccumulate {
    static var zero: Int64 { 0 }

    @inline(__always)
    static func depthwise(_ acc: UnsafeMutablePointer<Int64>, _ x: UnsafePointer<UnsafePointer<Int32>?>,
                          _ w: UnsafePointer<UnsafePointer<Int16>?>, taps: Int, count: Int) {
        tfl_depthwise_i64(acc, x, w, taps, count)
    }

    @inline(__always)
    static func axpy(_ acc: UnsafeMutablePointer<Int64>, _ weights: UnsafePointer<Int16>, _ x: Int32, _ count: Int) {
        if x == 0 { return }
        for i in 0..<count { acc[i] &+= Int64(x &* Int32(weights[i])) }
    }

    @inline(__always)
    static func multiplyAdd(_ acc: UnsafeMutablePointer<Int64>, _ weights: UnsafePointer<Int16>, _ x: UnsafePointer<Int32>, _ count: Int) {
        for i in 0..<count { acc[i] &+= Int64(x[i] &* Int32(weights[i])) }
    }
}

/// Stages an integer tensor as `Int32` values with `offset` added (LiteRT's `input_offset`).
@inline(__always)
func stageInput<T: BinaryInteger>(_ source: UnsafePointer<T>, count: Int, offset: Int32, into target: UnsafeMutablePointer<Int32>) {
    for i in 0..<count { target[i] = Int32(truncatingIfNeeded: source[i]) &+ offset }
}
