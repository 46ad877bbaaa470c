import Testing
@testable import TFLiteQuantizer

/// The vectorized range (16 lanes, then a scalar tail) equals the plain minimum and maximum, and
/// finds a NaN or an infinity wherever it is.
@Suite struct TensorRangeTests {
    /// The scalar definition the converter's calibrator uses.
    private func reference(_ values: [Float]) -> TensorRange? {
        guard let low = values.min(), let high = values.max() else { return nil }
        return TensorRange(min: low, max: high)
    }

    @Test func equalsPlainMinimumAndMaximum() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 4099] {
            let values = (0..<count).map { _ in Float.random(in: -1000...1000, using: &generator) }
            var nan = true
            let range = values.withUnsafeBufferPointer { TensorRange.of($0, hasNaN: &nan) }
            #expect(range == reference(values), "\(count) values")
            #expect(!nan)
        }
        // The extremes in every lane position and in the tail.
        for position in 0..<40 {
            var values = [Float](repeating: 0.5, count: 40)
            values[position] = -7
            values[39 - position] = 9
            var nan = true
            #expect(values.withUnsafeBufferPointer { TensorRange.of($0, hasNaN: &nan) } == TensorRange(min: -7, max: 9))
        }
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func findsANonFiniteValueAnywhere(_ bad: Float) {
        for position in [0, 5, 15, 16, 31, 32, 39] {
            var values = [Float](repeating: 1, count: 40)
            values[position] = bad
            var nan = false
            _ = values.withUnsafeBufferPointer { TensorRange.of($0, hasNaN: &nan) }
            #expect(nan, "\(bad) at \(position)")
        }
    }
}
