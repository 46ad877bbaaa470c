/// How `tflquant` stores a float model's numbers.
///
/// The names are the command line's (`--mode`); the cases follow the post-training quantization
/// modes of the TensorFlow Lite converter.
public enum QuantizationMode: String, CaseIterable, Sendable {
    /// Float32 weights stored as float16, each behind a `DEQUANTIZE`; compute stays float.
    case float16
    /// Weights of the converter's hybrid operators as symmetric int8; activations quantized on
    /// the fly at run time (dynamic range).
    case dynamic
    /// Int8 weights behind a `DEQUANTIZE`; compute stays float (weight-only).
    case weightInt8 = "weight-int8"
    /// Int8 weights and activations, calibrated on sample inputs (full integer).
    case int8
    /// Int16 activations and int8 weights, calibrated on sample inputs.
    case int16x8

    /// Whether the mode needs calibration samples to choose activation ranges.
    public var needsCalibration: Bool {
        switch self {
        case .float16, .dynamic, .weightInt8: false
        case .int8, .int16x8: true
        }
    }
}
