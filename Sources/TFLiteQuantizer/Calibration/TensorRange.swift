/// The range a float tensor took over the calibration samples: the plain minimum and maximum of
/// every element of every sample, as the TensorFlow Lite converter's calibrator records them
/// (checked against the converter's own int8 and int16x8 models in the quantizer's fixtures).
package struct TensorRange: Equatable, Sendable {
    public var min: Float
    public var max: Float

    public init(min: Float, max: Float) {
        self.min = min
        self.max = max
    }

    /// The range of `values`, nil when empty; `hasNaN` reports a NaN or an infinity.
    /// Sixteen lanes at a time (calibration reads every activation of every sample; this was a
    /// quarter of `tflquant --mode int8`'s time as a scalar loop), then the tail. (`replacing`
    /// compiles to vector min/max; `pointwiseMin` here was 60× slower.)
    static func of(_ values: UnsafeBufferPointer<Float>, hasNaN: inout Bool) -> TensorRange? {
        var low = Float.infinity
        var high = -Float.infinity
        var nan = false
        var index = 0
        if let base = values.baseAddress, values.count >= 16 {
            let raw = UnsafeRawPointer(base)
            var lows = SIMD16<Float>(repeating: .infinity), highs = SIMD16<Float>(repeating: -.infinity)
            // x · 0 is ±0 for every finite x, NaN for NaN and ±infinity: the sum stays 0 only
            // when every value is finite.
            var check = SIMD16<Float>()
            while index + 16 <= values.count {
                let lane = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD16<Float>.self)
                lows = lows.replacing(with: lane, where: lane .< lows)
                highs = highs.replacing(with: lane, where: lane .> highs)
                check += lane * 0
                index += 16
            }
            low = lows.min()
            high = highs.max()
            nan = !(check.sum() == 0)
        }
        while index < values.count {
            let value = values[index]
            if value < low { low = value }
            if value > high { high = value }
            nan = nan || !value.isFinite
            index += 1
        }
        hasNaN = nan
        return low <= high ? TensorRange(min: low, max: high) : nil
    }

    /// The union with `other`.
    func union(_ other: TensorRange) -> TensorRange {
        TensorRange(min: Swift.min(min, other.min), max: Swift.max(max, other.max))
    }
}

/// The ranges of every float activation of a subgraph (model inputs and every operator's
/// outputs), by tensor index, accumulated sample by sample.
package struct TensorRanges: Sendable {
    /// The range per tensor index.
    public private(set) var ranges: [Int: TensorRange] = [:]
    /// The samples accumulated.
    public private(set) var sampleCount = 0

    public init() {}

    public subscript(tensor: Int) -> TensorRange? { ranges[tensor] }

    /// Adds one sample's values of tensor `index`; returns false when they hold a NaN or an
    /// infinity (no scale can represent them).
    mutating func add(_ values: UnsafeBufferPointer<Float>, tensor index: Int) -> Bool {
        var hasNaN = false
        guard let range = TensorRange.of(values, hasNaN: &hasNaN) else { return !hasNaN }
        ranges[index] = ranges[index].map { $0.union(range) } ?? range
        return !hasNaN
    }

    /// Records that one more sample went through.
    mutating func finishSample() { sampleCount += 1 }

    /// Sets a tensor's range directly (constants folded by the planner, tests).
    public mutating func set(_ range: TensorRange, tensor index: Int) { ranges[index] = range }
}
