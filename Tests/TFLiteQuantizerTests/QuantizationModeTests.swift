import Testing
import TFLiteQuantizer

@Suite struct QuantizationModeTests {
    @Test func commandLineNames() {
        #expect(QuantizationMode.allCases.map(\.rawValue) == ["float16", "dynamic", "weight-int8", "int8", "int16x8"])
        #expect(QuantizationMode(rawValue: "weight-int8") == .weightInt8)
        #expect(QuantizationMode(rawValue: "int4") == nil)
    }

    @Test func onlyFullIntegerModesNeedCalibration() {
        #expect(QuantizationMode.allCases.filter(\.needsCalibration) == [.int8, .int16x8])
    }
}
