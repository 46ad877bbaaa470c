import Testing
@_spi(GeneratedCode) @testable import TFLiteRuntime

@Suite struct FixedPointTests {
    @Test func quantizeMultiplierMatchesLiteRT() {
        // 0.5 = 2^30 / 2^31 × 2^0
        let half = FixedPoint.Multiplier(0.5)
        #expect(half.multiplier == 1 << 30 && half.shift == 0)
        let small = FixedPoint.Multiplier(0.0078125)  // 2^-7
        #expect(small.multiplier == 1 << 30 && small.shift == -6)
        #expect(FixedPoint.Multiplier(0).multiplier == 0)
    }

    @Test func roundingDivideRoundsHalfAwayFromZero() {
        #expect(FixedPoint.roundingDivideByPOT(Int32(5), 1) == 3)
        #expect(FixedPoint.roundingDivideByPOT(Int32(-5), 1) == -3)
        #expect(FixedPoint.roundingDivideByPOT(Int32(4), 1) == 2)
    }

    @Test func multiplyAppliesMultiplierAndShift() {
        let m = FixedPoint.Multiplier(0.25)
        #expect(FixedPoint.multiply(Int32(100), by: m) == 25)
        #expect(FixedPoint.multiply(Int32(-102), by: m) == -26)
        let big = FixedPoint.Multiplier(3.0)
        #expect(FixedPoint.multiply(Int32(7), by: big) == 21)
    }
}
