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
    static func of(_ values: UnsafeBufferPointer<Float>, hasNaN: inout Bool) -> TensorRange? {
        var low = Float.infinity
        var high = -Float.infinity
        var nan = false
        for value in values {
            if value < low { low = value }
            if value > high { high = value }
            nan = nan || !value.isFinite
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
